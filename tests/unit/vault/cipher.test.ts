import { randomBytes } from "node:crypto";
import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { createLogger } from "@/lib/log";
import { VaultCipher, VaultDecryptError, vaultKeyId, type TSealedSecret } from "@/lib/vault/cipher";
import { parseVaultKey, readVaultKeyring, VaultKeyError } from "@/lib/vault/vault-keys";

const SECRET = JSON.stringify({ token: "ghp_very-secret-token-value" });
const ID = "vcrd_01JABCDEFGHJKMNPQRSTVWXYZ0";
const OTHER_ID = "vcrd_01JABCDEFGHJKMNPQRSTVWXYZ1";
const newKey = () => new Uint8Array(randomBytes(32));
const flip = (bytes: Uint8Array, at = 0) => {
  const out = new Uint8Array(bytes);
  out[at] = out[at]! ^ 0x01;
  return out;
};
const errorOf = (fn: () => unknown): Error => {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected an error");
};
const quiet = createLogger({ write: () => {} });

describe("VaultCipher", () => {
  it("round-trips a secret and names the key that sealed it", () => {
    const key = newKey();
    const cipher = new VaultCipher({ current: key });
    const sealed = cipher.encrypt(SECRET, ID);
    expect(sealed.keyId).toBe(vaultKeyId(key));
    expect(sealed.keyId).toMatch(/^[0-9a-f]{8}$/);
    expect([sealed.iv.byteLength, sealed.tag.byteLength]).toEqual([12, 16]);
    expect(Buffer.from(sealed.ciphertext).toString("utf8")).not.toContain("ghp_very-secret");
    expect(cipher.decrypt(sealed, ID)).toBe(SECRET);
  });

  it("uses a fresh random IV every time, so equal secrets give different ciphertexts", () => {
    const cipher = new VaultCipher({ current: newKey() });
    const a = cipher.encrypt(SECRET, ID);
    const b = cipher.encrypt(SECRET, ID);
    expect(Buffer.from(a.iv).equals(Buffer.from(b.iv))).toBe(false);
    expect(Buffer.from(a.ciphertext).equals(Buffer.from(b.ciphertext))).toBe(false);
  });

  it("refuses a tampered ciphertext, tag or IV, naming the credential and never the secret", () => {
    const cipher = new VaultCipher({ current: newKey() });
    const sealed = cipher.encrypt(SECRET, ID);
    const tampered: TSealedSecret[] = [
      { ...sealed, ciphertext: flip(sealed.ciphertext, 3) },
      { ...sealed, tag: flip(sealed.tag) },
      { ...sealed, iv: flip(sealed.iv) },
      { ...sealed, tag: sealed.tag.slice(0, 8) },
    ];
    for (const bad of tampered) {
      const error = errorOf(() => cipher.decrypt(bad, ID));
      expect(error).toBeInstanceOf(VaultDecryptError);
      expect(error.message).toMatch(new RegExp(`credential ${ID} failed authentication \\(tampered or wrong key`));
      expect(error.message).not.toContain("ghp_");
    }
  });

  it("binds the ciphertext to the credential id: moved to another row, it does not open", () => {
    const cipher = new VaultCipher({ current: newKey() });
    const sealed = cipher.encrypt(SECRET, ID);
    const error = errorOf(() => cipher.decrypt(sealed, OTHER_ID));
    expect(error).toMatchObject({ reason: "authentication_failed", credentialId: OTHER_ID });
  });

  it("refuses a same-length key that is not the one the id names", () => {
    const key = newKey();
    const sealed = new VaultCipher({ current: key }).encrypt(SECRET, ID);
    const impostor = new VaultCipher({ current: newKey() });
    // Forge the key id so the impostor tries its own key.
    expect(errorOf(() => impostor.decrypt({ ...sealed, keyId: impostor.keyId }, ID))).toMatchObject({ reason: "authentication_failed" });
  });

  it("decrypts with previous keys, seals with the current one, and names a key that is missing", () => {
    const oldKey = newKey();
    const newKeyBytes = newKey();
    const sealedOld = new VaultCipher({ current: oldKey }).encrypt(SECRET, ID);
    const ring = new VaultCipher({ current: newKeyBytes, previous: [oldKey] });
    expect(ring.keyId).toBe(vaultKeyId(newKeyBytes));
    expect(ring.keyIds).toEqual([vaultKeyId(newKeyBytes), vaultKeyId(oldKey)]);
    expect(ring.decrypt(sealedOld, ID)).toBe(SECRET);
    const resealed = ring.encrypt(ring.decrypt(sealedOld, ID), ID);
    expect(resealed.keyId).toBe(vaultKeyId(newKeyBytes));

    const withoutOld = new VaultCipher({ current: newKeyBytes });
    expect(withoutOld.decrypt(resealed, ID)).toBe(SECRET);
    const error = errorOf(() => withoutOld.decrypt(sealedOld, ID));
    expect(error).toMatchObject({ reason: "unknown_key" });
    expect(error.message).toBe(`credential ${ID} is encrypted with key ${vaultKeyId(oldKey)}, which is not configured: set VAULT_KEY_PREVIOUS to include it`);
  });

  it("does not show its keys when inspected or serialized", () => {
    const key = newKey();
    const cipher = new VaultCipher({ current: key });
    const shown = `${JSON.stringify(cipher)} ${inspect(cipher, { depth: 5, showHidden: true })}`;
    expect(shown).toContain(cipher.keyId);
    expect(shown).not.toContain("Buffer");
    expect(shown).not.toContain([...key.slice(0, 4)].map((b) => b.toString(16).padStart(2, "0")).join(" "));
  });
});

describe("vault keys from the environment", () => {
  const key = randomBytes(32);
  const options = { dataDir: "/nonexistent", embedded: false, log: quiet };

  it("accepts 32 bytes as base64 (padded or not, standard or url-safe) or hex", () => {
    for (const text of [key.toString("base64"), key.toString("base64").replace(/=$/, ""), key.toString("base64url"), key.toString("hex"), ` ${key.toString("hex").toUpperCase()}\n`]) {
      expect(Buffer.from(parseVaultKey(text, "Invalid environment: VAULT_KEY")).equals(key), text).toBe(true);
    }
  });

  it("refuses anything else with one line naming the variable and never echoing the value", () => {
    const bad = ["", "short", randomBytes(16).toString("base64"), randomBytes(48).toString("base64"), key.toString("hex").slice(0, 63), "z".repeat(64), "a-very-long-passphrase-that-is-not-a-key!!!!"];
    for (const text of bad) {
      const error = errorOf(() => readVaultKeyring({ VAULT_KEY: text || "x" }, options));
      expect(error, text).toBeInstanceOf(VaultKeyError);
      expect(error.message).toMatch(/^Invalid environment: VAULT_KEY must be 32 random bytes encoded as base64 \(44 characters\) or hex \(64 characters\)/);
      expect(error.message).not.toContain("\n");
      if (text.length > 6) expect(error.message).not.toContain(text);
    }
  });

  it("reads previous keys, comma-separated, and names a bad entry", () => {
    const old1 = randomBytes(32);
    const old2 = randomBytes(32);
    const ring = readVaultKeyring({ VAULT_KEY: key.toString("base64"), VAULT_KEY_PREVIOUS: ` ${old1.toString("hex")}, ,${old2.toString("base64")} ` }, options);
    expect(ring.previous!.map((k) => Buffer.from(k).toString("hex"))).toEqual([old1.toString("hex"), old2.toString("hex")]);
    const error = errorOf(() => readVaultKeyring({ VAULT_KEY: key.toString("base64"), VAULT_KEY_PREVIOUS: `${old1.toString("hex")},oops` }, options));
    expect(error.message).toMatch(/^Invalid environment: VAULT_KEY_PREVIOUS \(entry 2\) must be 32 random bytes/);
  });

  it("requires VAULT_KEY with PostgreSQL (empty counts as unset)", () => {
    for (const env of [{}, { VAULT_KEY: "" }, { VAULT_KEY: "  " }]) {
      expect(errorOf(() => readVaultKeyring(env, options)).message).toMatch(/^Invalid environment: VAULT_KEY is required with DATABASE_URL/);
    }
  });
});
