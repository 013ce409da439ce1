/**
 * `npm run db:migration:create -- <name>`: writes prisma/migrations/<timestamp>_<name>/migration.sql
 * with the SQL that brings the existing migrations up to prisma/schema.prisma. Prints "no changes"
 * and writes nothing when they already match. Needs no database: the existing migrations are
 * replayed on a throwaway in-memory PGlite.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createMigration } from "../lib/db/create-migration";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const schemaPath = path.join(root, "prisma", "schema.prisma");
const migrationsDir = path.join(root, "prisma", "migrations");

async function main(): Promise<number> {
  const args = process.argv.slice(2).filter((arg) => arg !== "--");
  const name = args.join("_").trim();
  if (!name || name.startsWith("-")) {
    console.error("usage: npm run db:migration:create -- <name>   (e.g. add_vaults)");
    return 2;
  }
  const { created } = await createMigration({ schemaPath, migrationsDir, name });
  if (!created) {
    console.log("no changes: prisma/schema.prisma matches the migrations; nothing written.");
    return 0;
  }
  console.log(`created ${path.relative(root, created.file)}`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`db:migration:create: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
