import "server-only";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import type { SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import pg from "pg";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { log as processLog, type Logger } from "@/lib/log";
import { projectRoot } from "@/lib/project-root";
import { acquireDataDirLock } from "./data-dir-lock";
import { pgDirectSql, pgliteDirectSql, type DirectSql } from "./direct-sql";
import { describeDatabaseTarget, type TDatabaseTarget } from "./database-target";
import { applyMigrations } from "./migrate";
import { migratePostgres } from "./migrate-postgres";
import { releaseMigrationLock } from "./migration-lock";

export type Database = {
  kind: TDatabaseTarget["kind"];
  prisma: PrismaClient;
  adapterFactory: SqlMigrationAwareDriverAdapterFactory;
  /** The same connections, below Prisma: for the session log's hot path (see `DirectSql`). */
  sql: DirectSql;
  /** Safe to log: no password. */
  description: string;
  close(): Promise<void>;
};

export const MIGRATIONS_DIR = path.join(projectRoot(), "prisma", "migrations");

/** MIGRATE_LOCK_TIMEOUT_MS's default, for callers without an environment (tests, scripts). */
export const DEFAULT_MIGRATE_LOCK_TIMEOUT_MS = 120_000;

export interface OpenDatabaseOptions {
  /** Apply pending migrations before opening (MIGRATE_ON_BOOT). */
  migrate: boolean;
  /** Longest wait for another process's migrations on PostgreSQL (MIGRATE_LOCK_TIMEOUT_MS). */
  migrateLockTimeoutMs?: number;
  /** Where the wait for another process's migrations is said; the process-wide logger by default. */
  log?: Logger;
}

/**
 * Opens the database and, when `migrate` is set, applies pending migrations first. The embedded
 * default (PGlite) is opened here, never at import time, so that a build step cannot open the data
 * directory behind the server's back.
 *
 * On PostgreSQL, migrations run on a connection of their own, closed before the app's pool opens:
 * the schema engine's migration lock ends with it (see `migratePostgres`).
 */
export async function openDatabase(target: TDatabaseTarget, options: OpenDatabaseOptions): Promise<Database> {
  const description = describeDatabaseTarget(target);
  if (target.kind === "postgres" && options.migrate) {
    await migratePostgres({
      url: target.url,
      description,
      migrationsDir: MIGRATIONS_DIR,
      lockTimeoutMs: options.migrateLockTimeoutMs ?? DEFAULT_MIGRATE_LOCK_TIMEOUT_MS,
      log: options.log ?? processLog,
    });
  }
  let adapterFactory: SqlMigrationAwareDriverAdapterFactory;
  let closeDriver: () => Promise<void>;
  let sql: DirectSql;

  if (target.kind === "pglite") {
    const inMemory = target.dataDir.startsWith("memory://");
    const release = inMemory ? () => {} : acquireDataDirLock(target.dataDir);
    let pglite: PGlite;
    try {
      pglite = await PGlite.create(target.dataDir);
    } catch (error) {
      release();
      throw error;
    }
    adapterFactory = new PrismaPGlite(pglite);
    sql = pgliteDirectSql(pglite);
    closeDriver = async () => {
      await pglite.close();
      release();
    };
    try {
      if (options.migrate) {
        await applyMigrations({ adapterFactory, migrationsDir: MIGRATIONS_DIR });
        // PGlite's one connection is also the app's: the engine's lock must not stay on it.
        await releaseMigrationLock((statement) => pglite.query(statement));
      }
    } catch (error) {
      await closeDriver();
      throw error;
    }
  } else {
    // one pool for Prisma and the direct statements (Prisma does not end a pool it was given)
    const pool = new pg.Pool({ connectionString: target.url, max: target.poolSize });
    // an idle connection the server drops (a restart) leaves the pool by itself; the next query reconnects
    pool.on("error", () => {});
    adapterFactory = new PrismaPg(pool);
    sql = pgDirectSql(pool);
    closeDriver = () => pool.end();
  }

  const prisma = new PrismaClient({ adapter: adapterFactory });
  let closing: Promise<void> | undefined;
  return {
    kind: target.kind,
    prisma,
    adapterFactory,
    sql,
    description,
    /** Closes the client and the driver; calling it again returns the same promise. */
    close() {
      closing ??= (async () => {
        await prisma.$disconnect();
        await closeDriver();
      })();
      return closing;
    },
  };
}
