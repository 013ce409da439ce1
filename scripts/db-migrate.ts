/**
 * `npm run db:migrate`: applies the pending migrations in prisma/migrations to the PostgreSQL
 * database named by DATABASE_URL and prints which ones were applied.
 * (The embedded PGlite database is migrated by the server itself when it opens it.)
 * While another process migrates the same database it waits, saying so, for up to
 * MIGRATE_LOCK_TIMEOUT_MS.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describeDatabaseTarget } from "../lib/db/database-target";
import { migratePostgres } from "../lib/db/migrate-postgres";
import { parseEnv } from "../lib/env";
import { log } from "../lib/log";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const migrationsDir = path.join(root, "prisma", "migrations");

async function main(): Promise<number> {
  const url = process.env.DATABASE_URL?.trim();
  if (!url) {
    console.error("db:migrate: DATABASE_URL is not set; set it to the PostgreSQL database to migrate (postgresql://…).");
    return 2;
  }
  let target: URL;
  try {
    target = new URL(url);
    if (target.protocol !== "postgres:" && target.protocol !== "postgresql:") throw new Error("not postgres");
  } catch {
    console.error("db:migrate: DATABASE_URL must be a postgres:// or postgresql:// URL.");
    return 2;
  }

  // Only the one setting this script reads: the rest of the server's environment is not its business.
  const { MIGRATE_LOCK_TIMEOUT_MS } = parseEnv({ MIGRATE_LOCK_TIMEOUT_MS: process.env.MIGRATE_LOCK_TIMEOUT_MS });

  const where = `${decodeURIComponent(target.pathname.replace(/^\//, "")) || "(default database)"} on ${target.host || "localhost"}`;
  console.log(`Migrating ${where} from ${path.relative(process.cwd(), migrationsDir) || migrationsDir}`);
  const { applied } = await migratePostgres({
    url,
    description: describeDatabaseTarget({ kind: "postgres", url, poolSize: 1 }),
    migrationsDir,
    lockTimeoutMs: MIGRATE_LOCK_TIMEOUT_MS,
    log,
    progress: (message) => {
      if (message.startsWith("warning:")) console.warn(message);
    },
  });
  if (applied.length === 0) {
    console.log("Already up to date: no pending migrations.");
  } else {
    console.log(`Applied ${applied.length} migration${applied.length === 1 ? "" : "s"}:`);
    for (const name of applied) console.log(`  ${name}`);
  }
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`db:migrate: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
