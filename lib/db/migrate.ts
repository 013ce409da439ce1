import "server-only";
/**
 * Applies the SQL migrations in `prisma/migrations/<timestamp>_<name>/migration.sql` (Prisma's
 * standard layout) to a database reached through a Prisma driver adapter, with Prisma's own
 * schema engine: the standard `_prisma_migrations` table is written (checksum = sha256 of
 * migration.sql), so `prisma migrate deploy` / `migrate status` run later agree with it.
 *
 *   await applyMigrations({ adapterFactory: new PrismaPg({ connectionString }), migrationsDir });
 *   await applyMigrations({ adapterFactory: new PrismaPGlite(pglite), migrationsDir });
 *
 * Each migration runs as one statement batch, i.e. in one transaction: a migration that fails is
 * rolled back as a whole, is not recorded, and the error says which one failed and why.
 *
 * The engine takes a session-level advisory lock first and never releases it: it lasts as long as
 * the connection it was taken on. Never hand this an adapter over the app's pool; on PostgreSQL,
 * `migratePostgres` runs it on a connection of its own and bounds the wait for that lock.
 */
import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import type {
  ConnectionInfo,
  IsolationLevel,
  SqlDriverAdapter,
  SqlMigrationAwareDriverAdapterFactory,
  SqlQuery,
  SqlResultSet,
  Transaction,
} from "@prisma/driver-adapter-utils";
import {
  describeDatabaseError,
  type MigrationList,
  NO_SCHEMA_FILTER,
  SchemaEngineError,
  withSchemaEngine,
} from "./schema-engine";

export const MIGRATION_FILE = "migration.sql";
export const MIGRATION_LOCK_FILE = "migration_lock.toml";
export const MIGRATIONS_TABLE = "_prisma_migrations";

export interface ApplyMigrationsOptions {
  /** Driver adapter factory for the target database, e.g. `new PrismaPg({ connectionString })`. */
  adapterFactory: SqlMigrationAwareDriverAdapterFactory;
  /** Folder holding `<timestamp>_<name>/migration.sql` directories. */
  migrationsDir: string;
  /** Progress messages (one line each). */
  log?: (message: string) => void;
}

export interface ApplyMigrationsResult {
  /** Names of the migrations applied by this call, in order; empty when the database was up to date. */
  applied: string[];
}

/** A migration failed: it was rolled back and is not recorded in `_prisma_migrations`. */
export class MigrationFailedError extends Error {
  readonly migrationName: string | undefined;

  constructor(migrationName: string | undefined, reason: string, cause: unknown) {
    super(
      migrationName
        ? `Migration "${migrationName}" failed and was rolled back (nothing from it was applied or recorded): ${reason}`
        : `Applying migrations failed: ${reason}`,
      { cause },
    );
    this.name = "MigrationFailedError";
    this.migrationName = migrationName;
  }
}

/**
 * Applies the pending migrations of `migrationsDir`, oldest first. Idempotent: migrations already
 * recorded in `_prisma_migrations` are skipped, so a second call applies nothing.
 */
export async function applyMigrations(options: ApplyMigrationsOptions): Promise<ApplyMigrationsResult> {
  const { migrationsDir, log = () => {} } = options;
  const migrationsList = await readMigrationList(migrationsDir);
  const names = migrationsList.migrationDirectories.map((d) => d.path);
  let scriptError: unknown;
  const factory = migrationSafeAdapterFactory(options.adapterFactory, {
    onScriptError: (error) => {
      scriptError = error;
    },
  });

  let recordedBefore: Set<string>;
  try {
    recordedBefore = await recordedMigrationIds(factory);
  } catch (error) {
    throw new Error(`Cannot read the migration history: ${describeDatabaseError(error)}`, { cause: error });
  }

  return withSchemaEngine(factory, async (engine) => {
    const diagnosis = await engine.diagnoseMigrationHistory({
      migrationsList,
      optInToShadowDatabase: false,
      filters: NO_SCHEMA_FILTER,
    });
    for (const name of diagnosis.editedMigrationNames) {
      log(`warning: migration ${name} was edited after it was applied (its checksum differs)`);
    }

    let applied: string[];
    try {
      applied = (await engine.applyMigrations({ migrationsList, filters: NO_SCHEMA_FILTER })).appliedMigrationNames;
    } catch (error) {
      // The engine records a migration as started before running it and, when it fails, leaves
      // that row behind marked failed (which blocks every later run). The migration ran as one
      // transaction and was rolled back, so the row is dropped: the database holds nothing of
      // it, and the fixed migration applies on the next run. Done while this engine still
      // holds the migration lock, so no concurrent run is in between.
      const failed = await forgetFailedMigrations(factory, recordedBefore).catch(() => []);
      // The database's own words beat the engine's summary of them (e.g. "Null constraint failed").
      const reason = scriptError
        ? describeDatabaseError(scriptError)
        : error instanceof Error
          ? error.message
          : String(error);
      throw new MigrationFailedError(failed[0], reason, error);
    }
    for (const name of applied) log(`applied ${name}`);
    if (applied.length === 0) log(`no pending migrations (${names.length} in ${migrationsDir})`);
    return { applied };
  });
}

/**
 * Reads `migrationsDir` into the engine's `MigrationList`: every subdirectory (each should hold a
 * `migration.sql`), sorted by name (which starts with the timestamp), plus the lock file.
 * A missing folder is an empty list.
 */
export async function readMigrationList(migrationsDir: string): Promise<MigrationList> {
  const baseDir = path.resolve(migrationsDir);
  let entries: import("node:fs").Dirent[] = [];
  try {
    entries = await readdir(baseDir, { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  const dirs = entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();

  const migrationDirectories: MigrationList["migrationDirectories"] = [];
  for (const dir of dirs) {
    const file = path.join(baseDir, dir, MIGRATION_FILE);
    // As with Prisma's CLI, a folder without a readable migration.sql is an error (reported by
    // the engine), not something to skip.
    const content = await readFile(file, "utf8").then(
      (value) => ({ tag: "ok" as const, value }),
      (error: unknown) => ({ tag: "error" as const, value: error instanceof Error ? error.message : String(error) }),
    );
    migrationDirectories.push({ path: dir, migrationFile: { path: MIGRATION_FILE, content } });
  }

  let lockContent: string | null = null;
  try {
    lockContent = await readFile(path.join(baseDir, MIGRATION_LOCK_FILE), "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }

  return {
    baseDir,
    lockfile: { path: MIGRATION_LOCK_FILE, content: lockContent },
    shadowDbInitScript: "",
    migrationDirectories,
  };
}

/** The checksum Prisma stores for a migration: hex sha256 of the migration.sql bytes. */
export function migrationChecksum(sql: string | Buffer): string {
  return createHash("sha256").update(sql).digest("hex");
}

/**
 * Wraps a driver adapter factory for the schema engine's needs:
 * - `executeScript` sends the whole script as one query and awaits it. PostgreSQL runs a
 *   multi-statement query as one implicit transaction, so a migration applies all or nothing.
 *   (Stock adapter-pg splits scripts on every `;`, which breaks function bodies and runs each
 *   piece on its own; pglite-prisma-adapter's does not await, so failures go unnoticed.)
 * - adapter-pg cannot type PostgreSQL's internal `"char"` columns (OID 18) that introspection
 *   queries return; those columns are reported as text.
 */
export function migrationSafeAdapterFactory(
  factory: SqlMigrationAwareDriverAdapterFactory,
  options: { onScriptError?: (error: unknown) => void } = {},
): SqlMigrationAwareDriverAdapterFactory {
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => wrapAdapter(await factory.connect(), options.onScriptError),
    connectToShadowDb: async () => wrapAdapter(await factory.connectToShadowDb(), options.onScriptError),
  };
}

// ---------------------------------------------------------------------------------------------
// Internals

const PG_CHAR_OID = 18;
const PG_TEXT_OID = 25;

interface PgLikeResult {
  fields?: { dataTypeID: number }[];
}
type QueryFn = (...args: unknown[]) => unknown;

function wrapAdapter(adapter: SqlDriverAdapter, onScriptError?: (error: unknown) => void): SqlDriverAdapter {
  const internals = adapter as unknown as {
    client?: { exec?: (sql: string) => Promise<unknown>; query?: QueryFn; connect?: QueryFn };
    onError?: (error: unknown) => never;
  };
  if (adapter.adapterName === "@prisma/adapter-pg" && internals.client && typeof internals.client.query === "function") {
    internals.client = mapCharColumnsOf(internals.client);
  }

  // Both adapters convert driver errors with their own `onError` (which throws the
  // DriverAdapterError the engine understands).
  const onError = typeof internals.onError === "function" ? internals.onError.bind(adapter) : undefined;
  const pool = (adapter as { underlyingDriver?: () => unknown }).underlyingDriver?.() as
    | { query?: (sql: string) => Promise<unknown> }
    | undefined;
  let executeScript: (script: string) => Promise<void>;
  if (adapter.adapterName === "@prisma/adapter-pg" && onError && typeof pool?.query === "function") {
    // pg sends a query without parameters over the simple query protocol, which accepts many
    // statements and runs them as one implicit transaction.
    const query = pool.query.bind(pool);
    executeScript = async (script) => {
      try {
        await query(script);
      } catch (error) {
        onError(error);
      }
    };
  } else if (adapter.adapterName === "pglite-prisma-adapter" && onError && typeof internals.client?.exec === "function") {
    // PGlite's exec also uses the simple query protocol.
    const client = internals.client as { exec(sql: string): Promise<unknown> };
    executeScript = async (script) => {
      try {
        await client.exec(script);
      } catch (error) {
        onError(error);
      }
    };
  } else {
    executeScript = (script) => adapter.executeScript(script);
  }

  const wrapped: SqlDriverAdapter = {
    provider: adapter.provider,
    adapterName: adapter.adapterName,
    queryRaw: (query: SqlQuery): Promise<SqlResultSet> => adapter.queryRaw(query),
    executeRaw: (query: SqlQuery): Promise<number> => adapter.executeRaw(query),
    executeScript: async (script: string): Promise<void> => {
      try {
        await executeScript(script);
      } catch (error) {
        onScriptError?.(error);
        throw error;
      }
    },
    startTransaction: (isolationLevel?: IsolationLevel): Promise<Transaction> => adapter.startTransaction(isolationLevel),
    dispose: () => adapter.dispose(),
  };
  if (adapter.getConnectionInfo) {
    wrapped.getConnectionInfo = (): ConnectionInfo => adapter.getConnectionInfo!();
  }
  return wrapped;
}

/** A view of a pg Pool (or client) whose query results report `"char"` columns as text. */
function mapCharColumnsOf<T extends { query?: QueryFn; connect?: QueryFn }>(target: T): T {
  return new Proxy(target, {
    get(t, property, receiver) {
      const value: unknown = Reflect.get(t, property, receiver);
      if (property === "query" && typeof value === "function") {
        return (...args: unknown[]) => {
          const result = (value as QueryFn).apply(t, args);
          return isPromise(result) ? result.then(mapCharFields) : result;
        };
      }
      if (property === "connect" && typeof value === "function") {
        return (...args: unknown[]) => {
          const result = (value as QueryFn).apply(t, args);
          return isPromise(result)
            ? result.then((client) => (client && typeof client === "object" ? mapCharColumnsOf(client) : client))
            : result;
        };
      }
      return typeof value === "function" ? (value as QueryFn).bind(t) : value;
    },
  });
}

function mapCharFields(result: unknown): unknown {
  for (const r of (Array.isArray(result) ? result : [result]) as PgLikeResult[]) {
    for (const field of r?.fields ?? []) {
      if (field.dataTypeID === PG_CHAR_OID) field.dataTypeID = PG_TEXT_OID;
    }
  }
  return result;
}

function isPromise(value: unknown): value is Promise<unknown> {
  return !!value && typeof (value as { then?: unknown }).then === "function";
}

const NO_ARGS = { args: [], argTypes: [] };

async function withAdapter<T>(
  factory: SqlMigrationAwareDriverAdapterFactory,
  fn: (adapter: SqlDriverAdapter) => Promise<T>,
): Promise<T> {
  const adapter = await factory.connect();
  try {
    return await fn(adapter);
  } finally {
    await adapter.dispose();
  }
}

async function migrationsTableExists(adapter: SqlDriverAdapter): Promise<boolean> {
  const result = await adapter.queryRaw({
    sql: `SELECT to_regclass('"${MIGRATIONS_TABLE}"')::text AS name`,
    ...NO_ARGS,
  });
  return result.rows[0]?.[0] != null;
}

/** Ids of the rows already in `_prisma_migrations` (empty when the table does not exist yet). */
async function recordedMigrationIds(factory: SqlMigrationAwareDriverAdapterFactory): Promise<Set<string>> {
  return withAdapter(factory, async (adapter) => {
    if (!(await migrationsTableExists(adapter))) return new Set<string>();
    const result = await adapter.queryRaw({ sql: `SELECT id FROM "${MIGRATIONS_TABLE}"`, ...NO_ARGS });
    return new Set(result.rows.map((row) => String(row[0])));
  });
}

/** Deletes the failed rows this run added; returns their migration names. */
async function forgetFailedMigrations(
  factory: SqlMigrationAwareDriverAdapterFactory,
  recordedBefore: Set<string>,
): Promise<string[]> {
  return withAdapter(factory, async (adapter) => {
    if (!(await migrationsTableExists(adapter))) return [];
    const result = await adapter.queryRaw({
      // Failed rows carry the error in `logs`; a row another process is still applying does not.
      sql: `SELECT id, migration_name FROM "${MIGRATIONS_TABLE}" WHERE finished_at IS NULL AND rolled_back_at IS NULL AND logs IS NOT NULL`,
      ...NO_ARGS,
    });
    const names: string[] = [];
    for (const [id, name] of result.rows) {
      if (recordedBefore.has(String(id))) continue;
      await adapter.executeRaw({
        sql: `DELETE FROM "${MIGRATIONS_TABLE}" WHERE id = $1`,
        args: [String(id)],
        argTypes: [{ scalarType: "string", arity: "scalar" }],
      });
      names.push(String(name));
    }
    return names;
  });
}

export { SchemaEngineError };
