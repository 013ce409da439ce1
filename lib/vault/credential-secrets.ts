import "server-only";
import type { Credential } from "@/lib/generated/prisma/client";
import type { VaultCipher } from "./cipher";
import { AUTH_TYPES, SECRET_SCHEMAS, type TAuthType, type TSecrets } from "./credential-auth";

/**
 * The columns that hold a credential's encrypted secrets, and the way in and out of them. The
 * credential id is bound into the ciphertext (AAD), so secrets copied onto another row do not open.
 */
export type TSealedColumns = { secretCiphertext: Uint8Array<ArrayBuffer>; secretIv: Uint8Array<ArrayBuffer>; secretTag: Uint8Array<ArrayBuffer>; keyId: string };

export function sealSecrets(cipher: VaultCipher, credentialId: string, secrets: TSecrets): TSealedColumns {
  const sealed = cipher.encrypt(JSON.stringify(secrets), credentialId);
  return { secretCiphertext: sealed.ciphertext, secretIv: sealed.iv, secretTag: sealed.tag, keyId: sealed.keyId };
}

type TSealedRow = Pick<Credential, "id" | "authType" | "secretCiphertext" | "secretIv" | "secretTag" | "keyId">;

/** Decrypts a row's secrets and checks they have the shape of its type. */
export function openSecrets(cipher: VaultCipher, row: TSealedRow): TSecrets {
  const plaintext = cipher.decrypt({ ciphertext: row.secretCiphertext, iv: row.secretIv, tag: row.secretTag, keyId: row.keyId }, row.id);
  const type = row.authType as TAuthType;
  const parsed = AUTH_TYPES.includes(type) ? SECRET_SCHEMAS[type].safeParse(safeJson(plaintext)) : null;
  if (!parsed?.success) throw new Error(`credential ${row.id}: its decrypted secrets do not match its type ${row.authType.slice(0, 40)}`);
  return parsed.data;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
