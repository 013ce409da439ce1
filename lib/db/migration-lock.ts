import "server-only";
import type pg from "pg";
import type { Logger } from "@/lib/log";

/**
 * The lock that keeps two processes from migrating one PostgreSQL database at once: the
 * session-level advisory lock Prisma's schema engine takes before it migrates
 * (`SELECT pg_advisory_lock(72707369)`, held until its connection closes). The engine waits for it
 * without a bound and without a word, so it is taken here first, on the connection the engine will
 * use: a session that holds an advisory lock gets it again at once.
 */
export const MIGRATION_LOCK_KEY = 72707369;

/** Another process held the migration lock for longer than the process would wait. */
export class MigrationLockTimeoutError extends Error {
  /** Server process id of the session that held the lock, when it could be told. */
  readonly holderPid: number | undefined;

  constructor(timeoutMs: number, holder: TLockHolder | undefined) {
    const who = holder
      ? `held by PostgreSQL server process ${holder.pid}${holder.applicationName ? ` ("${holder.applicationName}")` : ""}` +
        `${holder.clientAddr ? ` from ${holder.clientAddr}` : ""}, ${holder.state ?? "state unknown"}`
      : "its holder could not be told";
    super(
      `Timed out after ${timeoutMs / 1000} s waiting for another process to finish migrating the database ` +
        `(advisory lock ${MIGRATION_LOCK_KEY}, ${who}). ` +
        (holder
          ? `If no migration is running there, that session keeps the lock by mistake: end it with SELECT pg_terminate_backend(${holder.pid}). `
          : "") +
        "To wait longer, raise MIGRATE_LOCK_TIMEOUT_MS.",
    );
    this.name = "MigrationLockTimeoutError";
    this.holderPid = holder?.pid;
  }
}

export interface AcquireMigrationLockOptions {
  /** Longest wait for another process's migrations, in milliseconds. */
  timeoutMs: number;
  log: Logger;
  /** Safe to log: no password. */
  database: string;
}

/**
 * Takes the migration lock on `client` (a connection of its own, never one of the app's pool: the
 * lock lasts until that connection closes). When another session holds it, says so in one log line
 * and waits up to `timeoutMs`, then throws `MigrationLockTimeoutError`.
 */
export async function acquireMigrationLock(client: pg.ClientBase, options: AcquireMigrationLockOptions): Promise<void> {
  const tried = await client.query<{ locked: boolean }>("SELECT pg_try_advisory_lock($1) AS locked", [MIGRATION_LOCK_KEY]);
  if (tried.rows[0]?.locked) return;

  const holder = await migrationLockHolder(client);
  options.log.info("waiting for another process to finish database migrations", {
    database: options.database,
    holderPid: holder?.pid,
    timeoutMs: options.timeoutMs,
  });
  try {
    // lock_timeout bounds the wait; SET LOCAL keeps it from reaching the migrations themselves.
    // The advisory lock is session-level: it outlives this transaction.
    await client.query("BEGIN");
    await client.query(`SET LOCAL lock_timeout = ${Math.floor(options.timeoutMs)}`);
    await client.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK_KEY]);
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    if ((error as { code?: unknown }).code === LOCK_NOT_AVAILABLE) {
      throw new MigrationLockTimeoutError(options.timeoutMs, (await migrationLockHolder(client).catch(() => undefined)) ?? holder);
    }
    throw error;
  }
}

/**
 * Lets go of every hold one session has on the migration lock. For the embedded PGlite, whose one
 * connection is both the engine's and the app's: the engine takes the lock (once per command) and
 * never releases it.
 */
export async function releaseMigrationLock(query: (sql: string) => Promise<{ rows: unknown[] }>): Promise<void> {
  // A session-level advisory lock is counted: taken n times, it needs n unlocks. Checked before
  // each unlock, since an unlock of a lock not held is a warning.
  for (let holds = 0; holds < 100; holds++) {
    const held = await query(
      `SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid() AND classid = 0 AND objid = ${MIGRATION_LOCK_KEY} AND objsubid = 1`,
    );
    if (held.rows.length === 0) return;
    await query(`SELECT pg_advisory_unlock(${MIGRATION_LOCK_KEY})`);
  }
}

// ---------------------------------------------------------------------------------------------
// Internals

/** SQLSTATE of a lock wait cut by lock_timeout. */
const LOCK_NOT_AVAILABLE = "55P03";

type TLockHolder = { pid: number; applicationName: string | null; clientAddr: string | null; state: string | null };

/** Who holds the migration lock in this database (an advisory lock on one bigint key: classid 0, objsubid 1). */
async function migrationLockHolder(client: pg.ClientBase): Promise<TLockHolder | undefined> {
  const result = await client.query<{ pid: number; application_name: string | null; client_addr: string | null; state: string | null }>(
    `SELECT l.pid, a.application_name, host(a.client_addr) AS client_addr, a.state
       FROM pg_locks l LEFT JOIN pg_stat_activity a ON a.pid = l.pid
      WHERE l.locktype = 'advisory' AND l.granted AND l.classid = 0 AND l.objid = $1 AND l.objsubid = 1
        AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
        AND l.pid <> pg_backend_pid()
      LIMIT 1`,
    [MIGRATION_LOCK_KEY],
  );
  const row = result.rows[0];
  if (!row) return undefined;
  return { pid: row.pid, applicationName: row.application_name || null, clientAddr: row.client_addr, state: row.state };
}
