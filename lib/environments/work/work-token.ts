import { createHash } from "node:crypto";
import { newSecretToken } from "@/lib/ids";

/**
 * A work item's session token: `omaw_` + 256 random bits, handed out once in the item's `secret`
 * when a poll hands the item to a worker (only its SHA-256 is stored). It lets that worker read and
 * write its one session's events and heartbeat and stop its one item, nothing else, and dies when
 * the item stops, its lease runs out or a later poll hands the item to another worker.
 */
export const WORK_TOKEN_PREFIX = "omaw_";

export function newWorkToken(): string {
  return newSecretToken(WORK_TOKEN_PREFIX);
}

export function hashWorkToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

/** The wire `secret`: base64url of `{"sessions_token": …}`, as the SDK's worker decodes it (`sessionsTokenFromSecret`). */
export function encodeWorkSecret(token: string): string {
  return Buffer.from(JSON.stringify({ sessions_token: token }), "utf8").toString("base64url");
}
