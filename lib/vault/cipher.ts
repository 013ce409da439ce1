import "server-only";
import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";

/**
 * Authenticated encryption of credential secrets: AES-256-GCM, a fresh random 12-byte IV for every
 * encryption, and the credential's id as additional authenticated data, so a ciphertext copied onto
 * another row fails to decrypt. Each ciphertext records the id of the key that sealed it
 * (`keyId`: the first 8 hex characters of SHA-256 of the key), so a keyring of the current key and
 * previous ones can still open what older keys sealed while everything is re-encrypted.
 *
 * Error messages name credential and key ids only, never a key or a plaintext.
 */
export const VAULT_KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const ALGORITHM = "aes-256-gcm";

export type TSealedSecret = { ciphertext: Uint8Array<ArrayBuffer>; iv: Uint8Array<ArrayBuffer>; tag: Uint8Array<ArrayBuffer>; keyId: string };
type TSealedInput = { ciphertext: Uint8Array; iv: Uint8Array; tag: Uint8Array; keyId: string };

export type TVaultKeyring = { current: Uint8Array; previous?: readonly Uint8Array[] };

export class VaultDecryptError extends Error {
  constructor(
    message: string,
    readonly credentialId: string,
    readonly reason: "unknown_key" | "authentication_failed",
  ) {
    super(message);
    this.name = "VaultDecryptError";
  }
}

export function vaultKeyId(key: Uint8Array): string {
  return createHash("sha256").update(key).digest("hex").slice(0, 8);
}

export class VaultCipher {
  /** The id of the key new secrets are sealed with. */
  readonly keyId: string;
  /** The ids of every key that can open a secret, the current one first. */
  readonly keyIds: readonly string[];
  readonly #keys = new Map<string, Buffer>();

  constructor(keyring: TVaultKeyring) {
    for (const key of [keyring.current, ...(keyring.previous ?? [])]) {
      if (key.byteLength !== VAULT_KEY_BYTES) throw new Error(`a vault key must be ${VAULT_KEY_BYTES} bytes (got ${key.byteLength})`);
      const id = vaultKeyId(key);
      if (!this.#keys.has(id)) this.#keys.set(id, Buffer.from(key));
    }
    this.keyId = vaultKeyId(keyring.current);
    this.keyIds = [...this.#keys.keys()];
  }

  /** Seals `plaintext` under the current key, bound to `credentialId`. */
  encrypt(plaintext: string, credentialId: string): TSealedSecret {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv(ALGORITHM, this.#keys.get(this.keyId)!, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(credentialId, "utf8"));
    const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
    return { ciphertext: bytes(ciphertext), iv: bytes(iv), tag: bytes(cipher.getAuthTag()), keyId: this.keyId };
  }

  /** Opens a sealed secret of `credentialId` with whichever configured key sealed it. */
  decrypt(sealed: TSealedInput, credentialId: string): string {
    const key = this.#keys.get(sealed.keyId);
    if (!key) {
      throw new VaultDecryptError(
        `credential ${credentialId} is encrypted with key ${sealed.keyId}, which is not configured: set VAULT_KEY_PREVIOUS to include it`,
        credentialId,
        "unknown_key",
      );
    }
    const failed = () =>
      new VaultDecryptError(`credential ${credentialId} failed authentication (tampered or wrong key ${sealed.keyId})`, credentialId, "authentication_failed");
    if (sealed.iv.byteLength !== IV_BYTES || sealed.tag.byteLength !== TAG_BYTES) throw failed();
    try {
      const decipher = createDecipheriv(ALGORITHM, key, sealed.iv, { authTagLength: TAG_BYTES });
      decipher.setAAD(Buffer.from(credentialId, "utf8"));
      decipher.setAuthTag(sealed.tag);
      return Buffer.concat([decipher.update(sealed.ciphertext), decipher.final()]).toString("utf8");
    } catch {
      throw failed();
    }
  }
}

/** A plain Uint8Array copy (what Prisma's Bytes columns take). */
function bytes(buffer: Buffer): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(buffer.byteLength);
  out.set(buffer);
  return out;
}
