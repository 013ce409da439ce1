import { afterAll, afterEach, describe, expect, it } from "vitest";
import { MIGRATION_LOCK_KEY } from "@/lib/db/migration-lock";
import {
  bootingProcesses,
  MIGRATION_NAMES,
  migrationRows,
  migrationsTableExists,
  WAITING_FOR_MIGRATIONS,
  waitingLines,
} from "@/tests/fixtures/booting-processes";
import { requirePostgres } from "@/tests/fixtures/postgres";

// A process that boots while another one migrates (here: while the test holds the migration lock,
// as a migrating process does) says so in one log line, carries on when the lock is released, and
// stops with a clear error after MIGRATE_LOCK_TIMEOUT_MS instead of hanging.

const available = await requirePostgres("the migration lock wait test");

describe.runIf(available)("waiting for another process's migrations", () => {
  const scene = bootingProcesses();
  afterEach(() => scene.cleanup());
  afterAll(() => scene.removeDataDir());

  /** An empty database whose migration lock a connection of the test holds. */
  async function lockedDatabase() {
    const { scratch, env } = await scene.emptyDatabase();
    const holder = await scene.connect(scratch.url);
    await holder.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK_KEY]);
    const holderPid = (await holder.query<{ pid: number }>("SELECT pg_backend_pid() AS pid")).rows[0]!.pid;
    return { scratch, env, holder, holderPid };
  }

  it.each(["worker", "db-migrate"] as const)(
    "npm run %s says once that it waits, and stops after MIGRATE_LOCK_TIMEOUT_MS with a clear error",
    async (name) => {
      const { scratch, env, holder, holderPid } = await lockedDatabase();

      const startedAt = Date.now();
      const waiting = scene.script(name, { ...env, MIGRATE_LOCK_TIMEOUT_MS: "1500" });
      expect(await waiting.waitForExit(60_000)).toBe(1);

      expect(Date.now() - startedAt).toBeGreaterThanOrEqual(1500);
      expect(waitingLines(waiting.output())).toEqual([expect.objectContaining({ holderPid, timeoutMs: 1500 })]);
      expect(waiting.stderr()).toContain(
        "Timed out after 1.5 s waiting for another process to finish migrating the database " +
          `(advisory lock ${MIGRATION_LOCK_KEY}, held by PostgreSQL server process ${holderPid}`,
      );
      expect(waiting.stderr()).toContain(`SELECT pg_terminate_backend(${holderPid})`);
      expect(waiting.stderr()).toContain("raise MIGRATE_LOCK_TIMEOUT_MS");
      expect(waiting.output()).not.toContain(scratch.url); // the URL may hold a password
      expect(await migrationsTableExists(holder)).toBe(false); // it applied nothing
    },
  );

  it("the CLI waits while another process migrates, then migrates and does its work", async () => {
    const { env, holder } = await lockedDatabase();

    const cli = scene.script("cli", env, ["teams", "create", "--slug", "other"]);
    await cli.waitForOutput(WAITING_FOR_MIGRATIONS);
    await holder.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK_KEY]);

    expect(await cli.waitForExit()).toBe(0);
    expect(cli.stdout()).toMatch(/^created team other \(team_\w+\)$/m);
    expect(waitingLines(cli.output())).toHaveLength(1);
    expect((await migrationRows(holder)).map((r) => r.migration_name)).toEqual(MIGRATION_NAMES);
  });

  it("with MIGRATE_ON_BOOT=false a process neither migrates nor waits for the migration lock", async () => {
    const { env, holder } = await lockedDatabase();

    const cli = scene.script("cli", { ...env, MIGRATE_ON_BOOT: "false" }, ["teams", "create", "--slug", "other"]);
    // straight to the database, whose tables nobody created
    expect(await cli.waitForExit()).toBe(1);
    expect(cli.stderr()).toMatch(/Team.*does not exist/);
    expect(waitingLines(cli.output())).toEqual([]);
    expect(await migrationsTableExists(holder)).toBe(false);
  });
});
