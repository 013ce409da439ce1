import { createHash } from "node:crypto";

/** API keys: `oma_` + 256 random bits. High-entropy keys need no slow hash; SHA-256 is stored. */
export const API_KEY_PREFIX = "oma_";

export function hashApiKey(key: string): string {
  return createHash("sha256").update(key, "utf8").digest("hex");
}

/** What is shown of a key after creation: its prefix and last four characters. */
export function apiKeyHint(key: string): string {
  return `${key.slice(0, API_KEY_PREFIX.length)}…${key.slice(-4)}`;
}
