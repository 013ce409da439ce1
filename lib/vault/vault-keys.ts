import "server-only";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { Logger } from "@/lib/log";
import { VAULT_KEY_BYTES, vaultKeyId, type TVaultKeyring } from "./cipher";

/**
 * Where the vault's keys come from:
 * - `VAULT_KEY`: the current key, 32 random bytes as base64 or hex (`openssl rand -base64 32`);
 * - `VAULT_KEY_PREVIOUS`: older keys, comma-separated, still accepted for decryption while
 *   `npm run vault:rotate-key` re-encrypts everything under the current one;
 * - without `VAULT_KEY`, on the embedded database only: a key generated once into
 *   `<DATA_DIR>/vault.key` (mode 0600). With PostgreSQL, `VAULT_KEY` is required: every process
 *   sharing the database must hold the same key.
 * Empty values count as unset. Errors name the variable, never its value.
 */
export const KEY_FILE_NAME = "vault.key";
const HOW = `must be ${VAULT_KEY_BYTES} random bytes encoded as base64 (44 characters) or hex (64 characters), e.g. from \`openssl rand -base64 32\``;

export class VaultKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "VaultKeyError";
  }
}

/** Decodes one key; `subject` starts the error message (`Invalid environment: VAULT_KEY`). */
export function parseVaultKey(raw: string, subject: string): Uint8Array {
  const text = raw.trim();
  let key: Buffer | null = null;
  if (/^[0-9a-fA-F]{64}$/.test(text)) key = Buffer.from(text, "hex");
  else if (/^[A-Za-z0-9+/]{43}=?$/.test(text) || /^[A-Za-z0-9_-]{43}=?$/.test(text)) key = Buffer.from(text, "base64");
  if (!key || key.byteLength !== VAULT_KEY_BYTES) throw new VaultKeyError(`${subject} ${HOW} (got ${text.length} characters)`);
  return new Uint8Array(key);
}

export function readVaultKeyring(
  env: Record<string, string | undefined>,
  options: { dataDir: string; embedded: boolean; log: Logger },
): TVaultKeyring {
  const previous = (env.VAULT_KEY_PREVIOUS ?? "")
    .split(",")
    .map((entry) => entry.trim())
    .filter((entry) => entry !== "")
    .map((entry, i, all) => parseVaultKey(entry, `Invalid environment: VAULT_KEY_PREVIOUS${all.length > 1 ? ` (entry ${i + 1})` : ""}`));
  const configured = env.VAULT_KEY?.trim();
  if (configured) return { current: parseVaultKey(configured, "Invalid environment: VAULT_KEY"), previous };
  if (!options.embedded) {
    throw new VaultKeyError(`Invalid environment: VAULT_KEY is required with DATABASE_URL (every process sharing the database needs the same key); it ${HOW}`);
  }
  return { current: loadOrCreateKeyFile(options.dataDir, options.log), previous };
}

/**
 * The embedded default's key: read from `<dataDir>/vault.key`, or generated there once. The file is
 * written aside and linked into place, so two processes starting at once agree on one key.
 */
export function loadOrCreateKeyFile(dataDir: string, log: Logger): Uint8Array {
  const file = path.resolve(dataDir, KEY_FILE_NAME);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  let generated: Uint8Array | null = null;
  if (!fs.existsSync(file)) {
    const key = randomBytes(VAULT_KEY_BYTES);
    const temp = `${file}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
    fs.writeFileSync(temp, `${key.toString("base64")}\n`, { mode: 0o600 });
    try {
      fs.linkSync(temp, file);
      generated = new Uint8Array(key);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    } finally {
      fs.rmSync(temp, { force: true });
    }
  }
  const key = generated ?? parseVaultKey(fs.readFileSync(file, "utf8"), `Invalid vault key file ${file}: the key`);
  log.warn(generated ? "vault: generated a key for the embedded database; set VAULT_KEY in production" : "vault: using the key file of the embedded database; set VAULT_KEY in production", {
    path: file,
    keyId: vaultKeyId(key),
  });
  return key;
}
