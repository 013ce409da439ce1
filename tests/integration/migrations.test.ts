import { createHash } from "node:crypto";
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import type { SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import pg from "pg";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMigration, migrationSlug, nextTimestamp } from "@/lib/db/create-migration";
import { applyMigrations, MigrationFailedError, migrationSafeAdapterFactory, readMigrationList } from "@/lib/db/migrate";
import { NO_SCHEMA_FILTER, withSchemaEngine } from "@/lib/db/schema-engine";
import { createScratchDatabase, postgresReachable, type ScratchDatabase, TEST_POSTGRES_URL } from "@/tests/fixtures/postgres";

// A scratch schema in two versions. Version 2 adds a column, a table with a foreign key and an
// index, so the second migration must contain both ALTER TABLE and CREATE TABLE.
const SCHEMA_V1 = `
datasource db {
  provider = "postgresql"
}

generator client {
  provider = "prisma-client"
  output   = "./generated"
}

model Widget {
  id        String   @id
  name      String
  createdAt DateTime @default(now())
}
`;

const SCHEMA_V2 = `${SCHEMA_V1.replace("  name      String\n", "  name      String\n  color     String   @default(\"blue\")\n  parts     Part[]\n")}
model Part {
  id       Int    @id @default(autoincrement())
  widgetId String
  label    String
  widget   Widget @relation(fields: [widgetId], references: [id], onDelete: Cascade)

  @@index([widgetId])
}
`;

// A migration whose first statement is valid and whose second fails (missing table): applying it
// must fail as a whole.
const BROKEN_MIGRATION_NAME = "20300101000000_broken";
const BROKEN_SQL = `-- CreateTable
CREATE TABLE "Orphan" ("id" INTEGER NOT NULL);

-- fails: no such table
INSERT INTO "does_not_exist" ("id") VALUES (1);
`;

const FIXED_NOW = new Date(Date.UTC(2024, 0, 2, 3, 4, 5));

let workDir: string;
let migrationsDir: string;
let brokenMigrationsDir: string;
let migrationNames: string[] = [];
const checksums = new Map<string, string>();

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

beforeAll(async () => {
  workDir = await mkdtemp(path.join(os.tmpdir(), "oma-migrations-"));
  migrationsDir = path.join(workDir, "migrations");
  brokenMigrationsDir = path.join(workDir, "migrations-broken");
  const schemaPath = path.join(workDir, "schema.prisma");

  await writeFile(schemaPath, SCHEMA_V1);
  const first = await createMigration({ schemaPath, migrationsDir, name: "init", now: FIXED_NOW });
  await writeFile(schemaPath, SCHEMA_V2);
  // Same clock: the second migration must still sort after the first.
  const second = await createMigration({ schemaPath, migrationsDir, name: "Add parts", now: FIXED_NOW });
  expect(first.created).not.toBeNull();
  expect(second.created).not.toBeNull();
  migrationNames = [first.created!.name, second.created!.name];
  for (const name of migrationNames) {
    checksums.set(name, sha256(await readFile(path.join(migrationsDir, name, "migration.sql"), "utf8")));
  }

  await cp(migrationsDir, brokenMigrationsDir, { recursive: true });
  await mkdir(path.join(brokenMigrationsDir, BROKEN_MIGRATION_NAME));
  await writeFile(path.join(brokenMigrationsDir, BROKEN_MIGRATION_NAME, "migration.sql"), BROKEN_SQL);
});

afterAll(async () => {
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

describe("creating migrations", () => {
  it("writes Prisma's layout: <timestamp>_<name>/migration.sql and migration_lock.toml", async () => {
    expect(migrationNames).toEqual(["20240102030405_init", "20240102030406_add_parts"]);
    const entries = (await readdir(migrationsDir)).sort();
    expect(entries).toEqual([...migrationNames, "migration_lock.toml"]);
    expect(await readFile(path.join(migrationsDir, "migration_lock.toml"), "utf8")).toMatch(/^provider = "postgresql"$/m);
  });

  it("first migration creates the table from an empty database", async () => {
    const sql = await readFile(path.join(migrationsDir, migrationNames[0]!, "migration.sql"), "utf8");
    expect(sql).toContain('CREATE TABLE "Widget"');
    expect(sql).toContain('CONSTRAINT "Widget_pkey" PRIMARY KEY ("id")');
    expect(sql).not.toContain("CREATE SCHEMA");
    expect(sql).not.toContain('"Part"');
  });

  it("second migration holds only the changes since the first", async () => {
    const sql = await readFile(path.join(migrationsDir, migrationNames[1]!, "migration.sql"), "utf8");
    expect(sql).toMatch(/ALTER TABLE "Widget" ADD COLUMN\s+"color" TEXT NOT NULL DEFAULT 'blue'/);
    expect(sql).toContain('CREATE TABLE "Part"');
    expect(sql).toContain('CREATE INDEX "Part_widgetId_idx"');
    expect(sql).toContain('FOREIGN KEY ("widgetId") REFERENCES "Widget"("id") ON DELETE CASCADE');
    expect(sql).not.toContain('CREATE TABLE "Widget"');
  });

  it("writes nothing and reports no changes when the schema matches the migrations", async () => {
    const messages: string[] = [];
    const result = await createMigration({
      schemaPath: path.join(workDir, "schema.prisma"),
      migrationsDir,
      name: "nothing",
      log: (m) => messages.push(m),
    });
    expect(result.created).toBeNull();
    expect(messages.join("\n")).toMatch(/no changes/);
    expect((await readdir(migrationsDir)).sort()).toEqual([...migrationNames, "migration_lock.toml"]);
  });

  it("names and orders migrations predictably", () => {
    expect(migrationSlug(" Add Sessions! v2 ")).toBe("add_sessions_v2");
    expect(() => migrationSlug("--")).toThrow(/Invalid migration name/);
    expect(nextTimestamp(new Date(Date.UTC(2025, 4, 6, 7, 8, 9)), [])).toBe("20250506070809");
    expect(nextTimestamp(new Date(Date.UTC(2020, 0, 1)), ["20250506070809_x"])).toBe("20250506070810");
  });

  it("reads the folder in name order, with the lock file", async () => {
    const list = await readMigrationList(migrationsDir);
    expect(list.migrationDirectories.map((d) => d.path)).toEqual(migrationNames);
    expect(list.lockfile.content).toContain('provider = "postgresql"');
  });
});

type Target = {
  factory(): SqlMigrationAwareDriverAdapterFactory;
  query(sql: string): Promise<Record<string, unknown>[]>;
  close(): Promise<void>;
};

async function openPGliteTarget(): Promise<Target> {
  const db = await PGlite.create("memory://");
  return {
    factory: () => new PrismaPGlite(db),
    query: async (sql) => (await db.query<Record<string, unknown>>(sql)).rows,
    close: () => db.close(),
  };
}

async function openPostgresTarget(): Promise<Target> {
  const reachable = await postgresReachable();
  if (!reachable.ok) {
    throw new Error(
      `PostgreSQL at ${new URL(TEST_POSTGRES_URL).host} is unreachable (${reachable.reason}). ` +
        "The migration tests need it: start PostgreSQL or point TEST_POSTGRES_URL at one.",
    );
  }
  const scratch: ScratchDatabase = await createScratchDatabase("oma_mig");
  const client = new pg.Client({ connectionString: scratch.url });
  await client.connect();
  return {
    factory: () => new PrismaPg({ connectionString: scratch.url }),
    query: async (sql) => (await client.query(sql)).rows as Record<string, unknown>[],
    close: async () => {
      await client.end();
      await scratch.drop();
    },
  };
}

describe.each([
  { kind: "PGlite (in memory)", open: openPGliteTarget },
  { kind: "PostgreSQL", open: openPostgresTarget },
])("applying migrations to $kind", ({ open }) => {
  let target: Target;

  beforeAll(async () => {
    target = await open();
  });

  afterAll(async () => {
    await target?.close();
  });

  const tables = async () =>
    (
      await target.query(
        `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY table_name`,
      )
    ).map((r) => r.table_name);

  const migrationRows = async () =>
    target.query(
      `SELECT migration_name, checksum, finished_at, rolled_back_at, applied_steps_count FROM "_prisma_migrations" ORDER BY migration_name`,
    );

  it("applies both migrations in order and records them as Prisma does", async () => {
    const logged: string[] = [];
    const result = await applyMigrations({ adapterFactory: target.factory(), migrationsDir, log: (m) => logged.push(m) });
    expect(result.applied).toEqual(migrationNames);
    expect(logged).toContain(`applied ${migrationNames[0]}`);

    expect(await tables()).toEqual(["Part", "Widget", "_prisma_migrations"]);
    const columns = await target.query(
      `SELECT column_name FROM information_schema.columns WHERE table_name = 'Widget' ORDER BY column_name`,
    );
    expect(columns.map((c) => c.column_name)).toEqual(["color", "createdAt", "id", "name"]);

    const rows = await migrationRows();
    expect(rows.map((r) => r.migration_name)).toEqual(migrationNames);
    for (const row of rows) {
      expect(row.checksum).toBe(checksums.get(String(row.migration_name)));
      expect(row.finished_at).not.toBeNull();
      expect(row.rolled_back_at).toBeNull();
      expect(row.applied_steps_count).toBe(1);
    }

    // The schema works: a row goes in through the new foreign key.
    await target.query(`INSERT INTO "Widget" ("id", "name") VALUES ('w1', 'first')`);
    await target.query(`INSERT INTO "Part" ("widgetId", "label") VALUES ('w1', 'bolt')`);
    expect(await target.query(`SELECT color FROM "Widget"`)).toEqual([{ color: "blue" }]);
  });

  it("applies nothing the second time", async () => {
    const result = await applyMigrations({ adapterFactory: target.factory(), migrationsDir });
    expect(result.applied).toEqual([]);
    expect((await migrationRows()).map((r) => r.migration_name)).toEqual(migrationNames);
  });

  it("Prisma's engine sees the history as in sync, and can introspect the result", async () => {
    const migrationsList = await readMigrationList(migrationsDir);
    const factory = migrationSafeAdapterFactory(target.factory());
    const [diagnosis, introspected] = await withSchemaEngine(factory, async (engine) => [
      await engine.diagnoseMigrationHistory({ migrationsList, optInToShadowDatabase: false, filters: NO_SCHEMA_FILTER }),
      await engine.introspect({
        schema: { files: [{ path: "schema.prisma", content: 'datasource db {\n  provider = "postgresql"\n}\n' }] },
        baseDirectoryPath: workDir,
        force: false,
        compositeTypeDepth: -1,
        namespaces: null,
      }),
    ] as const);
    expect(diagnosis).toMatchObject({
      history: null,
      failedMigrationNames: [],
      editedMigrationNames: [],
      hasMigrationsTable: true,
    });
    // Introspection reads PostgreSQL's internal "char" columns (pg_constraint.contype, …).
    const schema = introspected.schema.files.map((f) => f.content).join("\n");
    expect(schema).toMatch(/model Widget \{/);
    expect(schema).toMatch(/model Part \{[\s\S]*@relation\(fields: \[widgetId\], references: \[id\], onDelete: Cascade/);
  });

  it("a failing migration throws, is rolled back entirely and leaves no record", async () => {
    const attempt = applyMigrations({ adapterFactory: target.factory(), migrationsDir: brokenMigrationsDir });
    await expect(attempt).rejects.toBeInstanceOf(MigrationFailedError);
    await expect(attempt).rejects.toMatchObject({ migrationName: BROKEN_MIGRATION_NAME });
    await expect(attempt).rejects.toThrow(/20300101000000_broken.*rolled back[\s\S]*does_not_exist/);

    // The valid statement before the failing one was rolled back with it.
    expect(await tables()).toEqual(["Part", "Widget", "_prisma_migrations"]);
    expect((await migrationRows()).map((r) => r.migration_name)).toEqual(migrationNames);
    // Data from before is intact.
    expect(await target.query(`SELECT label FROM "Part"`)).toEqual([{ label: "bolt" }]);

    // Nothing blocks a retry: the same failure again, not a "failed migration in the database" error.
    await expect(
      applyMigrations({ adapterFactory: target.factory(), migrationsDir: brokenMigrationsDir }),
    ).rejects.toMatchObject({ migrationName: BROKEN_MIGRATION_NAME });
  });

  it("applies the migration once it is fixed", async () => {
    const fixedDir = path.join(workDir, `migrations-fixed-${Math.random().toString(36).slice(2)}`);
    await cp(brokenMigrationsDir, fixedDir, { recursive: true });
    // Also a function body with semicolons inside: the script must reach the database whole.
    const fixedSql = BROKEN_SQL.replace(
      /INSERT INTO "does_not_exist".*\n/,
      () => `INSERT INTO "Orphan" ("id") VALUES (1);

CREATE FUNCTION orphan_count() RETURNS integer LANGUAGE plpgsql AS $$
DECLARE n integer;
BEGIN
  SELECT count(*) INTO n FROM "Orphan";
  RETURN n;
END;
$$;
`,
    );
    await writeFile(path.join(fixedDir, BROKEN_MIGRATION_NAME, "migration.sql"), fixedSql);

    const result = await applyMigrations({ adapterFactory: target.factory(), migrationsDir: fixedDir });
    expect(result.applied).toEqual([BROKEN_MIGRATION_NAME]);
    expect(await target.query(`SELECT id FROM "Orphan"`)).toEqual([{ id: 1 }]);
    expect(await target.query(`SELECT orphan_count() AS n`)).toEqual([{ n: 1 }]);
    const rows = await migrationRows();
    expect(rows.map((r) => r.migration_name)).toEqual([...migrationNames, BROKEN_MIGRATION_NAME]);
    expect(rows.at(-1)?.checksum).toBe(sha256(fixedSql));
  });
});
