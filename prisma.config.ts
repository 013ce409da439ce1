import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig } from "prisma/config";

// Configuration of the Prisma CLI (`npx prisma generate | validate | format | studio`).
//
// Migrations are created and applied by the project's own scripts, which run Prisma's schema
// engine in-process (WebAssembly) against PostgreSQL or the embedded PGlite database:
//   npm run db:migration:create -- <name>   writes prisma/migrations/<timestamp>_<name>/migration.sql
//   npm run db:migrate                       applies them to DATABASE_URL
// The folder layout and the `_prisma_migrations` table are Prisma's standard ones, so
// `prisma migrate deploy` / `migrate status` agree wherever the native engine is available.

const root = fileURLToPath(new URL(".", import.meta.url));
const schemaPath = "prisma/schema.prisma";
const migrationsPath = "prisma/migrations";

// The CLI insists on a native `schema-engine` binary before running any command, downloading it
// when missing; `generate`, `validate` and `format` never run it. Where no native engine is
// installed (offline machines), point the CLI at an existing stand-in file so those commands work.
// To let the CLI download the real engine instead (online), set PRISMA_SCHEMA_ENGINE_BINARY= (empty).
if (process.env.PRISMA_SCHEMA_ENGINE_BINARY === undefined && !nativeSchemaEngineInstalled()) {
  const standIn = findFirstExisting([
    path.join(root, "node_modules/@prisma/schema-engine-wasm/schema_engine_bg.wasm"),
    path.join(root, "node_modules/prisma/package.json"),
  ]);
  process.env.PRISMA_SCHEMA_ENGINE_BINARY = standIn ?? process.execPath;
  const command = process.argv.slice(2).find((arg) => !arg.startsWith("-"));
  if (command === "migrate" || command === "db") {
    process.stderr.write(
      `No native Prisma schema engine is installed, so \`prisma ${command}\` cannot run here.\n` +
        "Use `npm run db:migration:create -- <name>` and `npm run db:migrate` instead.\n",
    );
  }
}

export default defineConfig({
  schema: schemaPath,
  migrations: { path: migrationsPath },
  // Prisma 7 takes the connection URL from here, not from schema.prisma. Only migrate/db
  // commands need it, so it stays optional: `prisma generate` works without DATABASE_URL.
  ...(process.env.DATABASE_URL ? { datasource: { url: process.env.DATABASE_URL } } : {}),
});

/** Whether the CLI already downloaded a native schema engine (`@prisma/engines/schema-engine-<platform>`). */
function nativeSchemaEngineInstalled(): boolean {
  for (const dir of [path.join(root, "node_modules/@prisma/engines"), path.join(root, "node_modules/prisma")]) {
    try {
      if (readdirSync(dir).some((name) => name.startsWith("schema-engine-") && !name.endsWith(".wasm"))) return true;
    } catch {
      // directory absent
    }
  }
  return false;
}

function findFirstExisting(paths: string[]): string | undefined {
  return paths.find((p) => existsSync(p));
}
