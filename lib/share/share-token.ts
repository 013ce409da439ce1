import { createHash } from "node:crypto";
import { newSecretToken } from "@/lib/ids";

/**
 * Share-link tokens: `shr_` and 32 random bytes in base64url (256 bits: unguessable). The token is
 * shown once, in the link; only its SHA-256 is stored, so a database dump opens no replay. A
 * high-entropy token needs no slow hash, and a lookup by hash leaks nothing through timing.
 */
export const SHARE_TOKEN_PREFIX = "shr_";
export const SHARE_TOKEN = /^shr_[A-Za-z0-9_-]{43}$/;

export function newShareToken(): string {
  return newSecretToken(SHARE_TOKEN_PREFIX);
}

export function hashShareToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

/** The path of the replay page a token opens. */
export function replayPath(token: string): string {
  return `/replay/${encodeURIComponent(token)}`;
}
