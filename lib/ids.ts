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

/** 80 bits → 16 base32 characters, 5 bits at a time. */
function encodeRandom(value: bigint): string {
  let out = "";
  for (let shift = 75n; shift >= 0n; shift -= 5n) out += ALPHABET[Number((value >> shift) & 31n)];
  return out;
}

const RANDOM_MAX = (1n << 80n) - 1n;
const freshRandom = () => BigInt(`0x${randomBytes(10).toString("hex")}`);
/** The time and random part of the last id this process made. */
let last: { time: number; random: bigint } | undefined;

/**
 * The random part of an id made at `now`. Decision: ids this process makes in one millisecond still
 * sort in the order they were made (lists ordered by id, newest first, rely on it): the random part
 * of each is the previous one's plus a random step of 1 to 2^32, as ULID's monotonic mode does with
 * a step of 1, kept unpredictable. Ids made by different processes in one millisecond, or stamped
 * with an earlier `now`, have no order between them beyond their time.
 */
function randomPart(now: number): bigint {
  if (last && now === last.time) {
    const next = last.random + BigInt(randomBytes(4).readUInt32BE()) + 1n;
    if (next <= RANDOM_MAX) {
      last.random = next;
      return next;
    }
  }
  const random = freshRandom();
  if (!last || now >= last.time) last = { time: now, random };
  return random;
}

export function newId(kind: TIdKind, now: number = Date.now()): string {
  return `${PREFIXES[kind]}_${encodeTime(now)}${encodeRandom(randomPart(now))}`;
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
