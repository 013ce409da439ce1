import { randomBytes } from "node:crypto";

/**
 * Wire ids: a type prefix, then 26 characters of Crockford base32 — 48 bits of milliseconds since
 * the epoch followed by 80 random bits (the ULID layout). Ids of one kind therefore sort by creation
 * time, which is what cursor pagination over ids relies on; the random part makes them unguessable
 * enough for ids (never for secrets: tokens use `newSecretToken`).
 */
const PREFIXES = {
  team: "team",
  user: "user",
  invitation: "inv",
  apiKey: "apikey",
  agent: "agent",
  environment: "env",
  session: "sesn",
  sessionThread: "sthr",
  event: "sevt",
  vault: "vlt",
  credential: "vcrd",
  memoryStore: "memstore",
  memory: "mem",
  memoryVersion: "memver",
  skill: "skill",
  skillVersion: "skillver",
  file: "file",
  deployment: "depl",
  deploymentRun: "drun",
  dream: "drm",
  shareLink: "shr",
  work: "work",
  request: "req",
  outcome: "outc",
  webhook: "whep",
  webhookEvent: "wevt",
  webhookDelivery: "whdl",
} as const;

export type TIdKind = keyof typeof PREFIXES;

const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

function encodeTime(ms: number): string {
  let out = "";
  let rest = ms;
  for (let i = 0; i < 10; i++) {
    out = ALPHABET[rest % 32] + out;
    rest = Math.floor(rest / 32);
  }
  return out;
}

function encodeRandom(bytes: Buffer): string {
  // 80 bits → 16 base32 characters, 5 bits at a time.
  let bits = 0;
  let value = 0;
  let out = "";
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return out;
}

export function newId(kind: TIdKind, now: number = Date.now()): string {
  return `${PREFIXES[kind]}_${encodeTime(now)}${encodeRandom(randomBytes(10))}`;
}

export function idPrefix(kind: TIdKind): string {
  return `${PREFIXES[kind]}_`;
}

/** True when `value` has the shape of an id of this kind (prefix and 26 base32 characters). */
export function isId(kind: TIdKind, value: string): boolean {
  return new RegExp(`^${PREFIXES[kind]}_[0-9A-HJKMNP-TV-Z]{26}$`).test(value);
}

/** A secret token (share links, invitations, API keys): 32 random bytes, base64url. */
export function newSecretToken(prefix: string): string {
  return `${prefix}${randomBytes(32).toString("base64url")}`;
}
