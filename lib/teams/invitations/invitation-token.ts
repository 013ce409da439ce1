import { createHash, randomBytes } from "node:crypto";

/** An invitation token: 32 random bytes, base64url (43 characters). Only its SHA-256 is stored. */
export const INVITATION_TOKEN = /^[A-Za-z0-9_-]{43}$/;
export const INVITATION_TTL_MS = 7 * 24 * 60 * 60 * 1000;

export function newInvitationToken(): string {
  return randomBytes(32).toString("base64url");
}

export function hashInvitationToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}
