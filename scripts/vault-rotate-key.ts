/**
 * `npm run vault:rotate-key [-- --batch-size=N]`: re-encrypts every vault credential (and every
 * webhook endpoint's signing secret) under the current key (VAULT_KEY), reading with it and the previous keys (VAULT_KEY_PREVIOUS, comma-
 * separated) — the same keys the server uses, so run it with the server's environment.
 *
 * Rotating: generate a new key, set VAULT_KEY to it and VAULT_KEY_PREVIOUS to the old one, restart
 * the servers, run this; when it reports nothing left under an old key, drop VAULT_KEY_PREVIOUS.
 * Safe to run while servers are up (each row is its own guarded update) and to run again.
 * A credential that cannot be decrypted is listed and left as it is; the exit status is then 1.
 * On the embedded database, stop the server first: that database belongs to one process.
 */
import { databaseTargetFromEnv, describeDatabaseTarget } from "@/lib/db/database-target";
import { openDatabase } from "@/lib/db/open-database";
import { parseEnv } from "@/lib/env";
import { createVaultCipher } from "@/lib/vault/get-vault-cipher";
import { rotateCredentialKeys } from "@/lib/vault/rotate-credential-keys";
import { rotateWebhookKeys } from "@/lib/webhooks/rotate-webhook-keys";

function batchSizeOf(args: string[]): number {
  const arg = args.find((a) => a.startsWith("--batch-size="));
  if (!arg) return 100;
  const value = Number(arg.slice("--batch-size=".length));
  if (!Number.isInteger(value) || value < 1 || value > 10_000) throw new Error("--batch-size must be an integer between 1 and 10000");
  return value;
}

async function main(): Promise<number> {
  const env = parseEnv(process.env);
  const batchSize = batchSizeOf(process.argv.slice(2));
  const cipher = createVaultCipher(process.env, { dataDir: env.DATA_DIR, embedded: !env.DATABASE_URL });
  const target = databaseTargetFromEnv(env);
  const older = cipher.keyIds.filter((id) => id !== cipher.keyId);
  console.log(
    `Re-encrypting vault credentials in ${describeDatabaseTarget(target)} under key ${cipher.keyId}` +
      (older.length ? ` (also reading keys ${older.join(", ")})` : " (no previous keys configured)"),
  );
  const db = await openDatabase(target, { migrate: false });
  try {
    const report = await rotateCredentialKeys(db.prisma, cipher, {
      batchSize,
      onBatch: (r) => console.log(`  … ${r.scanned} read, ${r.rotated} re-encrypted so far`),
    });
    for (const failure of report.failed) console.error(`  not re-encrypted: ${failure.reason}`);
    console.log(
      `Done: ${report.scanned} credentials read; ${report.rotated} re-encrypted, ${report.alreadyCurrent} already under ${cipher.keyId}, ` +
        `${report.changedMeanwhile} changed meanwhile (already current), ${report.failed.length} could not be decrypted (left as they were).`,
    );
    const webhooks = await rotateWebhookKeys(db.prisma, cipher, { batchSize });
    for (const failure of webhooks.failed) console.error(`  not re-encrypted: ${failure.reason}`);
    console.log(
      `Webhook signing secrets: ${webhooks.scanned} read; ${webhooks.rotated} re-encrypted, ${webhooks.alreadyCurrent} already under ${cipher.keyId}, ` +
        `${webhooks.changedMeanwhile} changed meanwhile, ${webhooks.failed.length} could not be decrypted (left as they were).`,
    );
    return report.failed.length + webhooks.failed.length > 0 ? 1 : 0;
  } finally {
    await db.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`vault:rotate-key: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(2);
  },
);
