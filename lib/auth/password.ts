import { hash, verify, type Algorithm, type Options } from "@node-rs/argon2";

/**
 * Passwords are hashed with argon2id (@node-rs/argon2) at OWASP's recommended minimum: 19 MiB of
 * memory, 2 passes, 1 lane. The encoded hash carries its salt and parameters, so raising them later
 * keeps old hashes verifiable.
 */
const ARGON2ID = 2 as Algorithm; // Algorithm.Argon2id (a const enum, not importable as a value here)

export const PASSWORD_HASH_OPTIONS: Options = { algorithm: ARGON2ID, memoryCost: 19_456, timeCost: 2, parallelism: 1 };

export function hashPassword(password: string): Promise<string> {
  return hash(password, PASSWORD_HASH_OPTIONS);
}

/** False for a wrong password and for a hash that cannot be read (never throws on bad input). */
export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

let dummyHash: Promise<string> | undefined;

/**
 * Spends the time of one verification when there is no account to check against, so that the time
 * a failed sign-in takes does not reveal whether the email is registered.
 */
export async function verifyAgainstDummy(password: string): Promise<false> {
  dummyHash ??= hashPassword("a password that no account has: the point is the time spent");
  await verifyPassword(await dummyHash, password);
  return false;
}
