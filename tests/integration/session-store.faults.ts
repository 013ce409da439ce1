import pg from "pg";
import type { Database } from "@/lib/db/open-database";
import { until } from "@/tests/fixtures/wait";

/**
 * Faults injected inside one SQL statement, by a trigger on a test database: an append is one
 * statement (lib/event-log/prisma/append-statement.ts), so a wrapper around `DirectSql` can only
 * fail or slow it before it starts. An `AFTER INSERT … FOR EACH ROW` trigger runs at the end of the
 * statement, after everything it wrote, before it commits: where a crash or a stall is the hardest
 * on atomicity and on the fence.
 *
 * `when` is an SQL condition on the inserted row (`NEW`); `fault` raises an error or sleeps. The
 * trigger is dropped when `fn` settles.
 */
export async function withFault<T>(
  db: Database,
  on: { table: "SessionAppend" | "SessionEvent"; when: string; fault: "fail" | { sleepMs: number } },
  fn: () => Promise<T>,
): Promise<T> {
  const name = `test_fault_${on.table.toLowerCase()}`;
  const action = on.fault === "fail" ? `RAISE EXCEPTION 'injected failure at the end of the statement'` : `PERFORM pg_sleep(${on.fault.sleepMs / 1000})`;
  await db.prisma.$executeRawUnsafe(
    `CREATE FUNCTION "${name}"() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF ${on.when} THEN ${action}; END IF; RETURN NEW; END $$`,
  );
  await db.prisma.$executeRawUnsafe(`CREATE TRIGGER "${name}" AFTER INSERT ON "${on.table}" FOR EACH ROW EXECUTE FUNCTION "${name}"()`);
  try {
    return await fn();
  } finally {
    await db.prisma.$executeRawUnsafe(`DROP TRIGGER "${name}" ON "${on.table}"`);
    await db.prisma.$executeRawUnsafe(`DROP FUNCTION "${name}"()`);
  }
}

/**
 * On PostgreSQL: another connection holding the session's row lock (as an append in progress
 * does) until `release`, so that appends started meanwhile wait for it, their statement's snapshot
 * taken before the wait. `waiters(n)` resolves once n statements of this database wait for a lock.
 */
export async function holdSessionLock(url: string, sessionId: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query("BEGIN");
  await client.query(`SELECT 1 FROM "Session" WHERE "id" = $1 FOR UPDATE`, [sessionId]);
  let released = false;
  return {
    waiters: async (count: number) => {
      let seen: unknown[] = [];
      await until(
        `${count} statements waiting for a lock`,
        async () => {
          // this connection is inside its transaction: without a fresh statistics snapshot it would see the first one again
          await client.query("SELECT pg_stat_clear_snapshot()");
          const { rows } = await client.query(
            `SELECT wait_event_type, wait_event, left(query, 80) AS query FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`,
          );
          seen = rows;
          return rows.filter((row) => row.wait_event_type === "Lock").length >= count;
        },
        { timeoutMs: 30_000, detail: () => JSON.stringify(seen, null, 1) },
      );
    },
    /** Commits, letting the waiting statements go on (calling it again does nothing). */
    async release(): Promise<void> {
      if (released) return;
      released = true;
      await client.query("COMMIT");
      await client.end();
    },
  };
}
