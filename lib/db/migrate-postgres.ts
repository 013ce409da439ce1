import "server-only";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import type { Logger } from "@/lib/log";
import { applyMigrations, type ApplyMigrationsResult } from "./migrate";
import { acquireMigrationLock } from "./migration-lock";

export interface MigratePostgresOptions {
  /** `postgres://` URL of the database. */
  url: string;
  /** Safe to log: no password. */
  description: string;
  migrationsDir: string;
  /** Longest wait for another process's migrations (MIGRATE_LOCK_TIMEOUT_MS). */
  lockTimeoutMs: number;
  log: Logger;
  /** Progress messages of `applyMigrations` (one line each). */
  progress?: (message: string) => void;
}

/**
 * Applies the pending migrations to a PostgreSQL database on a connection of its own, opened here
 * and closed at the end whatever happened (applied, nothing to apply, failed, timed out). The
 * migration lock lives on that connection and ends with it, so it is never left behind on a
 * connection of the app's pool, where it would stop every other process's boot for as long as the
 * app runs.
 *
 *   await migratePostgres({ url, description, migrationsDir, lockTimeoutMs: 120_000, log });
 */
export async function migratePostgres(options: MigratePostgresOptions): Promise<ApplyMigrationsResult> {
  // One connection, never closed for being idle: the engine's statements all run in the session
  // that holds the lock.
  const pool = new pg.Pool({ connectionString: options.url, max: 1, idleTimeoutMillis: 0 });
  pool.on("error", () => {}); // a dropped connection fails the statement in progress, which reports it
  try {
    const client = await pool.connect();
    let broken: Error | undefined;
    try {
      await acquireMigrationLock(client, { timeoutMs: options.lockTimeoutMs, log: options.log, database: options.description });
    } catch (error) {
      broken = error as Error;
      throw error;
    } finally {
      client.release(broken);
    }
    return await applyMigrations({
      adapterFactory: new PrismaPg(pool),
      migrationsDir: options.migrationsDir,
      log: options.progress,
    });
  } finally {
    await pool.end();
  }
}
