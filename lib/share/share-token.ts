import { createHash, createHmac } from "node:crypto";
import { newSecretToken } from "@/lib/ids";

/**
 * Share-link tokens: `shr_` and 32 bytes in base64url (256 bits: unguessable). Only the token's
 * SHA-256 is stored, so a database dump opens no replay. A high-entropy token needs no slow hash,
 * and a lookup by hash leaks nothing through timing.
 *
 * The 32 bytes are an HMAC-SHA256 of the link's id under the server's secret (`deriveShareToken`),
 * so that a member can copy a link again later without the token being stored: the server derives
 * it anew, and checks it against the stored hash. Without a secret the bytes are random; such a
 * link, one made before tokens were derived, or one made under a secret since changed cannot be
 * copied again (it still opens its replay). Whoever holds the secret can derive every link's
 * token: it is the secret that already signs sign-in sessions, kept as such.
 */
export const SHARE_TOKEN_PREFIX = "shr_";
export const SHARE_TOKEN = /^shr_[A-Za-z0-9_-]{43}$/;

export function newShareToken(): string {
  return newSecretToken(SHARE_TOKEN_PREFIX);
}

/** The token of link `linkId` under `secret` (the same every time: see above). */
export function deriveShareToken(secret: string, linkId: string): string {
  return `${SHARE_TOKEN_PREFIX}${createHmac("sha256", secret).update(`share-link-token:${linkId}`, "utf8").digest("base64url")}`;
}

export function hashShareToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

/** The path of the replay page a token opens. */
export function replayPath(token: string): string {
  return `/replay/${encodeURIComponent(token)}`;
}
