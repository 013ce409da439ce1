/**
 * `npm run db:migrate`: applies the pending migrations in prisma/migrations to the PostgreSQL
 * database named by DATABASE_URL and prints which ones were applied.
 * (The embedded PGlite database is migrated by the server itself when it opens it.)
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { PrismaPg } from "@prisma/adapter-pg";
import { applyMigrations } from "../lib/db/migrate";

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

  const where = `${decodeURIComponent(target.pathname.replace(/^\//, "")) || "(default database)"} on ${target.host || "localhost"}`;
  console.log(`Migrating ${where} from ${path.relative(process.cwd(), migrationsDir) || migrationsDir}`);
  const { applied } = await applyMigrations({
    adapterFactory: new PrismaPg({ connectionString: url }),
    migrationsDir,
    log: (message) => {
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
