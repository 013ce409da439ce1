import "server-only";
import { getEnv } from "@/lib/env";
import { log, type Logger } from "@/lib/log";
import { VaultCipher } from "./cipher";
import { readVaultKeyring } from "./vault-keys";

/** A cipher from an environment (VAULT_KEY, VAULT_KEY_PREVIOUS; DATA_DIR and DATABASE_URL for the default). */
export function createVaultCipher(
  env: Record<string, string | undefined>,
  options: { dataDir: string; embedded: boolean; log?: Logger },
): VaultCipher {
  return new VaultCipher(readVaultKeyring(env, { dataDir: options.dataDir, embedded: options.embedded, log: options.log ?? log }));
}

const KEY = Symbol.for("open-managed-agents.vault-cipher");
type TGlobal = typeof globalThis & { [KEY]?: VaultCipher };

/**
 * The process's cipher, built from its environment on first use and kept (on `globalThis`, like the
 * composition root in lib/server/root.ts, so the server and Next's bundled route code share it). A
 * key that does not parse is not kept: every use fails with the same one-line message naming the
 * variable.
 */
export function getVaultCipher(): VaultCipher {
  const g = globalThis as TGlobal;
  if (!g[KEY]) {
    const env = getEnv();
    g[KEY] = createVaultCipher(process.env, { dataDir: env.DATA_DIR, embedded: !env.DATABASE_URL });
  }
  return g[KEY];
}
