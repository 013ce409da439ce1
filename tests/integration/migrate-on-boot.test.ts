import { afterAll, afterEach, describe, expect, it } from "vitest";
import { newSecretToken } from "@/lib/ids";
import {
  advisoryLocks,
  bootingProcesses,
  connectionCount,
  MIGRATION_NAMES,
  migrationRows,
  migrationsTableExists,
  waitingLines,
} from "@/tests/fixtures/booting-processes";
import { requirePostgres } from "@/tests/fixtures/postgres";
import { until } from "@/tests/fixtures/wait";

// Processes booting beside each other on one empty PostgreSQL database, with the defaults a user
// has (MIGRATE_ON_BOOT=true): one migrates, the others wait for it, and all come up; once booted,
// no process keeps the migration lock on a connection of its pool, where it would stop the next
// process to boot for as long as it runs.

const available = await requirePostgres("the migrate-on-boot test");

describe.runIf(available)("migrating on boot, several processes at once", () => {
  const scene = bootingProcesses();
  afterEach(() => scene.cleanup());
  afterAll(() => scene.removeDataDir());

  it("two web servers, a worker and the CLI started at once on an empty database all come up, and each migration is applied once", async () => {
    const { scratch, env } = await scene.emptyDatabase();
    const serverEnv = { ...env, BOOTSTRAP_API_KEY: newSecretToken("oma_") };

    const cli = scene.script("cli", env, ["teams", "create", "--slug", "other"]);
    const worker = scene.script("worker", env);
    const [serverA, serverB, , cliExit] = await Promise.all([
      scene.server(serverEnv),
      scene.server({ ...serverEnv, HARNESS_IN_PROCESS: "false" }),
      worker.waitForOutput("harness worker started", 90_000),
      cli.waitForExit(90_000),
    ]);

    expect(cliExit).toBe(0);
    expect(cli.stdout()).toMatch(/^created team other \(team_\w+\)$/m);
    for (const server of [serverA, serverB]) {
      const health = await fetch(`${server.url}/api/health`);
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({ status: "ok", database: "postgres" });
    }

    const client = await scene.connect(scratch.url);
    const rows = await migrationRows(client);
    expect(rows.map((r) => r.migration_name)).toEqual(MIGRATION_NAMES);
    expect(rows.every((r) => r.finished)).toBe(true);
    // and with all of them up, nothing holds a lock that would stop the next process's boot
    expect(await advisoryLocks(client, scratch.name)).toEqual([]);
  }, 180_000); // past the fixture's own 120 s start deadline, so a server that hangs is reported with its output

  it("a booted process holds no advisory lock on the connections of its pool", async () => {
    const { scratch, env } = await scene.emptyDatabase();
    const worker = scene.script("worker", env);
    await worker.waitForOutput("harness worker started");

    const client = await scene.connect(scratch.url);
    expect(await migrationsTableExists(client)).toBe(true); // it did migrate
    // Its pool is open (the harness polls the queue at once), so a lock left on it would show here.
    await until("the worker to open a connection", async () => (await connectionCount(client, scratch.name)) > 0, {
      timeoutMs: 10_000,
      intervalMs: 25,
      detail: () => worker.output(),
    });
    expect(await advisoryLocks(client, scratch.name)).toEqual([]);

    // so the next process boots without waiting
    const cli = scene.script("cli", env, ["teams", "create", "--slug", "second"]);
    expect(await cli.waitForExit()).toBe(0);
    expect(waitingLines(cli.output())).toEqual([]);
  });
});
