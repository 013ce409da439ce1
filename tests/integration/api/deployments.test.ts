import Anthropic, { toFile } from "@anthropic-ai/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAgent } from "@/lib/agents/create-agent";
import { openDatabase, type Database } from "@/lib/db/open-database";
import { createDeployment } from "@/lib/deployments/create-deployment";
import { runDueDeployments } from "@/lib/deployments/run-due-deployments";
import { createEnvironment } from "@/lib/environments/create-environment";
import { PrismaSessionStore } from "@/lib/event-log/prisma/prisma-session-store";
import { workQueueAppendHooks } from "@/lib/harness/prisma-work-queue";
import { createSession } from "@/lib/sessions/create-session";
import { newId } from "@/lib/ids";
import { createApiKey } from "@/lib/teams/api-keys/create-api-key";
import { createTeam } from "@/lib/teams/create-team";
import { startAppServer, type AppServer } from "@/tests/fixtures/app-server";
import { openTestDatabase } from "@/tests/fixtures/databases";
import { requirePostgres } from "@/tests/fixtures/postgres";
import { seedTeam } from "@/tests/fixtures/teams";
import { collect, failure, RFC3339 } from "@/tests/fixtures/sdk-client";
import { observeFor, until } from "@/tests/fixtures/wait";
import { killWorkerProcess, startWorkerProcess, type TWorkerProcess } from "@/tests/fixtures/worker-processes";

/**
 * Deployments through the official SDK against the real server on PostgreSQL (its model: the
 * built-in demo model): create/get/list/update/pause/unpause/archive, a manual run that creates a
 * session with the initial events (driven by the server's harness to an answer), a run that cannot
 * create its session and records why, bad input naming the field, team isolation; then the
 * scheduler: two instances with one injected clock on the server's database make exactly one run
 * of a due tick (and after "downtime", one run of the most recent missed tick), and two real
 * `npm run worker` processes racing on a due tick make one run. The embedded database runs the
 * same scheduler pass directly (no second server).
 */
const available = await requirePostgres("the deployments suite");

const message = (text: string) => ({ type: "user.message" as const, content: [{ type: "text" as const, text }] });
const errorBody = (error: InstanceType<typeof Anthropic.APIError>) => (error.error as { error?: Record<string, unknown> } | undefined)?.error;

describe.runIf(available)("deployments through the official SDK", () => {
  let app: AppServer;
  let db: Database;
  let client: Anthropic;
  let stranger: Anthropic;
  let agentId: string;
  let environmentId: string;

  beforeAll(async () => {
    app = await startAppServer({ database: "postgres" });
    db = await openDatabase({ kind: "postgres", url: app.databaseUrl!, poolSize: 4 }, { migrate: false });
    const team = await createTeam(db.prisma, { slug: "deployment-strangers", name: "Strangers" });
    client = new Anthropic({ apiKey: app.apiKey, baseURL: app.url, maxRetries: 0 });
    stranger = new Anthropic({ apiKey: (await createApiKey(db.prisma, { teamId: team.id, name: "test" })).key, baseURL: app.url, maxRetries: 0 });
    agentId = (await client.beta.agents.create({ name: "reporter", model: "claude-demo" })).id;
    environmentId = (await client.beta.environments.create({ name: "deployments" })).id;
  });
  afterAll(async () => {
    await db?.close();
    await app?.stop();
  });

  it("creates, reads, lists, updates, pauses, unpauses and archives deployments", async () => {
    const created = await client.beta.deployments.create({
      agent: agentId,
      environment_id: environmentId,
      name: "Weekday report",
      description: "every weekday at nine in Paris",
      initial_events: [message("Compile yesterday's orders.")],
      metadata: { team: "ops" },
      schedule: { type: "cron", expression: "0 9 * * 1-5", timezone: "Europe/Paris" },
    });
    expect(created).toEqual({
      id: expect.stringMatching(/^depl_[0-9A-Z]{26}$/),
      type: "deployment",
      name: "Weekday report",
      description: "every weekday at nine in Paris",
      agent: { type: "agent", id: agentId, version: 1 },
      environment_id: environmentId,
      initial_events: [message("Compile yesterday's orders.")],
      metadata: { team: "ops" },
      resources: [],
      vault_ids: [],
      schedule: { type: "cron", expression: "0 9 * * 1-5", timezone: "Europe/Paris", last_run_at: null, upcoming_runs_at: expect.any(Array) },
      status: "active",
      paused_reason: null,
      created_at: expect.stringMatching(RFC3339),
      updated_at: expect.stringMatching(RFC3339),
      archived_at: null,
    });
    const upcoming = created.schedule!.upcoming_runs_at!;
    expect(upcoming).toHaveLength(5);
    // nine in Paris: 08:00 UTC in winter, 07:00 in summer; weekdays only
    for (const tick of upcoming) {
      expect(tick).toMatch(/T0[78]:00:00\.000Z$/);
      expect([0, 6]).not.toContain(new Date(tick).getUTCDay());
    }
    expect(await client.beta.deployments.retrieve(created.id)).toEqual(created);

    const manual = await client.beta.deployments.create({ agent: { type: "agent", id: agentId, version: 1 }, environment_id: environmentId, name: "On demand", initial_events: [message("Go.")] });
    expect([manual.schedule, manual.description]).toEqual([null, null]);
    expect((await collect(client.beta.deployments.list({ limit: 1 }))).map((d) => d.id)).toEqual([manual.id, created.id]);
    expect((await client.beta.deployments.list({ agent_id: "agent_00000000000000000000000000" })).data).toEqual([]);
    expect((await client.beta.deployments.list({ agent_id: agentId })).data.map((d) => d.id)).toEqual([manual.id, created.id]);

    const paused = await client.beta.deployments.pause(created.id);
    expect([paused.status, paused.paused_reason]).toEqual(["paused", { type: "manual" }]);
    expect(paused.schedule!.upcoming_runs_at).toHaveLength(5); // what it would do if unpaused
    expect((await client.beta.deployments.list({ status: "paused" })).data.map((d) => d.id)).toEqual([created.id]);
    expect((await client.beta.deployments.list({ status: "active" })).data.map((d) => d.id)).toEqual([manual.id]);
    const unpaused = await client.beta.deployments.unpause(created.id);
    expect([unpaused.status, unpaused.paused_reason]).toEqual(["active", null]);

    const updated = await client.beta.deployments.update(created.id, { name: "Daily report", schedule: null, metadata: { team: null, tier: "gold" } });
    expect([updated.name, updated.schedule, updated.metadata, updated.initial_events]).toEqual(["Daily report", null, { tier: "gold" }, created.initial_events]);

    const archived = await client.beta.deployments.archive(manual.id);
    expect(archived.archived_at).toMatch(RFC3339);
    expect((await client.beta.deployments.list()).data.map((d) => d.id)).toEqual([created.id]);
    expect((await client.beta.deployments.list({ include_archived: true })).data.map((d) => d.id)).toEqual([manual.id, created.id]);
    for (const refused of [() => client.beta.deployments.update(manual.id, { name: "x" }), () => client.beta.deployments.run(manual.id), () => client.beta.deployments.pause(manual.id)]) {
      const error = await failure(refused());
      expect([error.status, errorBody(error)?.details]).toEqual([400, { error_code: "deployment_archived" }]);
    }
    await client.beta.deployments.archive(created.id);
  });

  it("runs now: a session with the deployment's initial events, driven to an answer, and the run listed with it", async () => {
    const deployment = await client.beta.deployments.create({ agent: agentId, environment_id: environmentId, name: "Greeter", initial_events: [message("hello from a deployment")] });
    await client.beta.deployments.pause(deployment.id); // manual runs still work when paused
    const run = await client.beta.deployments.run(deployment.id);
    expect(run).toEqual({
      id: expect.stringMatching(/^drun_[0-9A-Z]{26}$/),
      type: "deployment_run",
      deployment_id: deployment.id,
      agent: { type: "agent", id: agentId, version: 1 },
      session_id: expect.stringMatching(/^sesn_/),
      error: null,
      trigger_context: { type: "manual" },
      created_at: expect.stringMatching(RFC3339),
    });
    const session = await client.beta.sessions.retrieve(run.session_id!);
    expect([session.title, session.environment_id, session.agent.id]).toEqual(["Greeter", environmentId, agentId]);
    const events = await until(
      "the session's harness to answer the initial message",
      async () => {
        const all = await collect(client.beta.sessions.events.list(run.session_id!));
        return all.some((e) => e.type === "agent.message") ? all : null;
      },
      { timeoutMs: 60_000, intervalMs: 200 },
    );
    expect(events[0]).toMatchObject(message("hello from a deployment"));

    expect(await client.beta.deploymentRuns.retrieve(run.id)).toEqual(run);
    expect((await client.beta.deploymentRuns.list({ deployment_id: deployment.id })).data).toEqual([run]);
    expect((await client.beta.deploymentRuns.list({ deployment_id: deployment.id, has_error: true })).data).toEqual([]);
    expect((await client.beta.deploymentRuns.list({ deployment_id: deployment.id, trigger_type: "schedule" })).data).toEqual([]);
  });

  it("records why a run could not create its session (an archived agent)", async () => {
    const agent = await client.beta.agents.create({ name: "retired", model: "claude-demo" });
    const deployment = await client.beta.deployments.create({ agent: agent.id, environment_id: environmentId, name: "Orphan", initial_events: [message("hi")] });
    await client.beta.agents.archive(agent.id);
    // a rename leaves what it runs alone; retargeting it checks everything again
    expect((await client.beta.deployments.update(deployment.id, { name: "Orphaned" })).name).toBe("Orphaned");
    const retarget = await failure(client.beta.deployments.update(deployment.id, { environment_id: environmentId }));
    expect([retarget.status, errorBody(retarget)?.message]).toEqual([400, `agent: agent ${agent.id} is archived`]);
    const run = await client.beta.deployments.run(deployment.id);
    expect([run.session_id, run.error]).toEqual([null, { type: "agent_archived_error", message: `agent: agent ${agent.id} is archived` }]);
    expect((await client.beta.deploymentRuns.list({ deployment_id: deployment.id, has_error: true })).data).toEqual([run]);
    expect((await client.beta.deploymentRuns.list({ deployment_id: deployment.id, has_error: false })).data).toEqual([]);
  });

  it("refuses bad input with an error naming the field, and keeps teams apart", async () => {
    const before = await db.prisma.deployment.count();
    const base = { agent: agentId, environment_id: environmentId, name: "bad", initial_events: [message("x")] };
    const file = await client.beta.files.upload({ file: await toFile(Buffer.from("x"), "x.txt") });
    const cases: [unknown, number, RegExp][] = [
      [{ ...base, schedule: { type: "cron", expression: "every day", timezone: "UTC" } }, 400, /^schedule\.expression: must have 5 fields/],
      [{ ...base, schedule: { type: "cron", expression: "0 0 L * *", timezone: "UTC" } }, 400, /^schedule\.expression: day of month field/],
      [{ ...base, schedule: { type: "cron", expression: "0 9 * * *", timezone: "Mars/Olympus_Mons" } }, 400, /^schedule\.timezone: /],
      [{ ...base, initial_events: [] }, 400, /^initial_events: at least 1 event/],
      [{ ...base, initial_events: [{ type: "user.message", content: "not blocks" }] }, 400, /^initial_events\[0\]\.content/],
      [{ ...base, agent: "agent_00000000000000000000000000" }, 404, /^agent: /],
      [{ ...base, environment_id: "env_00000000000000000000000000" }, 404, /^environment_id: /],
      [{ ...base, vault_ids: ["vlt_00000000000000000000000000"] }, 404, /^vault_ids\[0\]: /],
      [{ ...base, resources: [{ type: "memory_store", memory_store_id: "memstore_00000000000000000000000000" }] }, 404, /^resources\[0\]\.memory_store_id: /],
      [{ ...base, resources: [{ type: "file", file_id: file.id, mount_path: "/etc/passwd" }] }, 400, /^resources\[0\]\.mount_path: must be a path under \/workspace/],
      [{ ...base, budget: { type: "limit", max_list_cost: { amount: "1", currency: "USD" } } }, 400, /^budget: the model claude-demo has no list price/],
    ];
    for (const [body, status, pattern] of cases) {
      const error = await failure(client.beta.deployments.create(body as never));
      expect([error.status, errorBody(error)?.message]).toEqual([status, expect.stringMatching(pattern)]);
    }
    // another team's agent and environment read as unknown ones
    const theirs = await stranger.beta.agents.create({ name: "theirs", model: "claude-demo" });
    const theirEnv = await stranger.beta.environments.create({ name: "theirs" });
    expect((await failure(client.beta.deployments.create({ ...base, agent: theirs.id }))).status).toBe(404);
    expect(errorBody(await failure(client.beta.deployments.create({ ...base, environment_id: theirEnv.id })))?.message).toMatch(/^environment_id: environment env_\w+ not found/);
    expect(await db.prisma.deployment.count()).toBe(before);

    const mine = await client.beta.deployments.create(base);
    const run = await client.beta.deployments.run(mine.id);
    for (const call of [() => stranger.beta.deployments.retrieve(mine.id), () => stranger.beta.deployments.run(mine.id), () => stranger.beta.deployments.update(mine.id, { name: "x" }), () => stranger.beta.deploymentRuns.retrieve(run.id)]) {
      expect((await failure(call())).status).toBe(404);
    }
    expect((await stranger.beta.deployments.list()).data).toEqual([]);
    expect((await stranger.beta.deploymentRuns.list({ deployment_id: mine.id })).data).toEqual([]);
  });

  it("a due cron tick makes exactly one run across two scheduler instances with one injected clock; after downtime, one run of the latest missed tick", async () => {
    const deployment = await client.beta.deployments.create({
      agent: agentId,
      environment_id: environmentId,
      name: "New year",
      initial_events: [message("happy new year")],
      schedule: { type: "cron", expression: "0 9 1 1 *", timezone: "UTC" }, // yearly: the server's own scheduler, on the real clock, never fires it here
    });
    const firstTick = new Date(deployment.schedule!.upcoming_runs_at![0]!);
    // two scheduler instances as two processes would have them: their own connection pools and stores, one clock
    const pools = await Promise.all([0, 1].map(() => openDatabase({ kind: "postgres", url: app.databaseUrl!, poolSize: 2 }, { migrate: false })));
    let now = new Date(firstTick.getTime() - 1);
    const schedulers = pools.map((pool) => {
      const store = new PrismaSessionStore(pool.prisma, pool.sql, workQueueAppendHooks);
      return () => runDueDeployments({ prisma: pool.prisma, now: () => now, createSession: (options) => createSession({ prisma: pool.prisma, store }, options) });
    });
    const race = async () => (await Promise.all(schedulers.flatMap((pass) => [pass(), pass()]))).flatMap((result) => result.runs);
    const scheduledRuns = async () => (await client.beta.deploymentRuns.list({ deployment_id: deployment.id, trigger_type: "schedule" })).data;
    try {
      expect(await race()).toEqual([]); // a millisecond early: nothing due
      now = new Date(firstTick.getTime() + 1_500);
      expect(await race()).toHaveLength(1);
      expect(await race()).toEqual([]);
      const [run, ...others] = await scheduledRuns();
      expect(others).toEqual([]);
      expect(run).toMatchObject({ trigger_context: { type: "schedule", scheduled_at: firstTick.toISOString() }, error: null, session_id: expect.stringMatching(/^sesn_/) });
      const firstEvent = (await client.beta.sessions.events.list(run!.session_id!)).data[0];
      expect(firstEvent).toMatchObject(message("happy new year"));
      const after = await client.beta.deployments.retrieve(deployment.id);
      expect(after.schedule!.last_run_at).toBe(now.toISOString());
      expect(after.schedule!.upcoming_runs_at![0]).toBe(new Date(Date.UTC(firstTick.getUTCFullYear() + 1, 0, 1, 9)).toISOString());

      // down for three years: 2028, 2029 and 2030's ticks were missed; only the latest runs, once
      const latest = new Date(Date.UTC(firstTick.getUTCFullYear() + 3, 0, 1, 9));
      now = new Date(latest.getTime() + 3 * 3_600_000);
      expect(await race()).toHaveLength(1);
      expect(await race()).toEqual([]);
      expect((await scheduledRuns()).map((r) => r.trigger_context)).toEqual([
        { type: "schedule", scheduled_at: latest.toISOString() },
        { type: "schedule", scheduled_at: firstTick.toISOString() },
      ]);

      // paused: the next tick does not run; unpaused later, ticks that fell meanwhile are skipped
      await client.beta.deployments.pause(deployment.id);
      now = new Date(Date.UTC(latest.getUTCFullYear() + 1, 0, 1, 10));
      expect(await race()).toEqual([]);
      expect(await scheduledRuns()).toHaveLength(2);
    } finally {
      await Promise.all(pools.map((pool) => pool.close()));
    }
  });

  it("a scheduled run that cannot create its session pauses the deployment, saying why", async () => {
    const agent = await client.beta.agents.create({ name: "leaving", model: "claude-demo" });
    const deployment = await client.beta.deployments.create({
      agent: agent.id,
      environment_id: environmentId,
      name: "Doomed",
      initial_events: [message("hi")],
      schedule: { type: "cron", expression: "0 9 1 1 *", timezone: "UTC" },
    });
    await client.beta.agents.archive(agent.id);
    const store = new PrismaSessionStore(db.prisma, db.sql, workQueueAppendHooks);
    const tick = new Date(deployment.schedule!.upcoming_runs_at![0]!);
    const pass = () => runDueDeployments({ prisma: db.prisma, now: () => tick, createSession: (options) => createSession({ prisma: db.prisma, store }, options) });
    const { runs } = await pass();
    expect(runs.map((r) => [r.sessionId, r.error])).toEqual([[null, { type: "agent_archived_error", message: `agent: agent ${agent.id} is archived` }]]);
    const paused = await client.beta.deployments.retrieve(deployment.id);
    expect([paused.status, paused.paused_reason]).toEqual(["paused", { type: "error", error: { type: "agent_archived_error" } }]);
    expect((await client.beta.deploymentRuns.list({ deployment_id: deployment.id, trigger_type: "schedule", has_error: true })).data).toHaveLength(1);
  });

  it("two worker processes racing on a due tick make one run", async () => {
    const deployment = await client.beta.deployments.create({
      agent: agentId,
      environment_id: environmentId,
      name: "Raced",
      initial_events: [message("once")],
      schedule: { type: "cron", expression: "0 0 1 1 *", timezone: "UTC" },
    });
    const output: string[] = [];
    const env = { DATABASE_URL: app.databaseUrl!, ANTHROPIC_API_KEY: "", LOG_LEVEL: "info", DEPLOYMENT_SCHEDULER_INTERVAL_MS: "100" };
    const workers: TWorkerProcess[] = [startWorkerProcess({ name: "w1", env, output }), startWorkerProcess({ name: "w2", env, output })];
    try {
      await Promise.all(workers.map((w) => w.ready));
      // this year's tick, which passed before the deployment was made, made due now: both workers (and the server) see it at once
      const tick = new Date(Date.UTC(new Date().getUTCFullYear(), 0, 1));
      await db.prisma.deployment.update({ where: { id: deployment.id }, data: { scheduleNextAt: tick } });
      const runs = await until(
        "a worker to run the due tick",
        async () => {
          const listed = (await client.beta.deploymentRuns.list({ deployment_id: deployment.id })).data;
          return listed.length > 0 && listed.every((r) => r.session_id) ? listed : null;
        },
        { timeoutMs: 30_000, intervalMs: 100, detail: () => output.join("") },
      );
      await observeFor(1_000, "ten more passes of each worker, none of which may run the tick again");
      const rows = await db.prisma.deploymentRun.findMany({ where: { deploymentId: deployment.id } });
      expect(rows).toHaveLength(1);
      expect(runs.map((r) => r.trigger_context)).toEqual([{ type: "schedule", scheduled_at: tick.toISOString() }]);
    } finally {
      await Promise.all(workers.map((w) => killWorkerProcess(w, "SIGTERM")));
    }
  });

  it("runs the same scheduler pass on the embedded database", async () => {
    const embedded = await openTestDatabase("pglite");
    try {
      const { prisma } = embedded.db;
      const team = await seedTeam(prisma);
      const agent = await createAgent(prisma, { teamId: team.id, body: { name: "embedded", model: "claude-demo" } });
      const environment = await createEnvironment(prisma, { teamId: team.id, body: { name: "embedded" } });
      let now = new Date("2026-12-07T10:15:00Z");
      const deployment = await createDeployment(
        { prisma, now: () => now },
        { teamId: team.id, body: { agent: agent.id, environment_id: environment.id, name: "Hourly", initial_events: [message("tick")], schedule: { type: "cron", expression: "0 * * * *", timezone: "UTC" } } },
      );
      expect(deployment.schedule!.upcoming_runs_at![0]).toBe("2026-12-07T11:00:00.000Z");
      const store = new PrismaSessionStore(prisma, embedded.db.sql, workQueueAppendHooks);
      const pass = () => runDueDeployments({ prisma, now: () => now, createSession: (options) => createSession({ prisma, store }, options) });
      expect((await pass()).runs).toEqual([]);
      now = new Date("2026-12-07T13:30:00Z"); // 11:00, 12:00 and 13:00 missed: 13:00 runs
      const [passA, passB] = await Promise.all([pass(), pass()]);
      const runs = [...passA.runs, ...passB.runs];
      expect(runs.map((r) => r.scheduledAt?.toISOString())).toEqual(["2026-12-07T13:00:00.000Z"]);
      expect((await store.getEvents(runs[0]!.sessionId!, { limit: 1 }))[0]?.body).toMatchObject(message("tick"));
      expect((await pass()).runs).toEqual([]);

      // a process that died between claiming a tick and creating its session: recorded as interrupted ten minutes on
      const claimed = await prisma.deploymentRun.create({
        data: { id: newId("deploymentRun"), teamId: team.id, deploymentId: deployment.id, agent: runs[0]!.agent ?? {}, triggerType: "schedule", scheduledAt: new Date("2026-12-07T12:00:00Z"), createdAt: new Date(now.getTime() - 9 * 60_000) },
      });
      await pass();
      expect((await prisma.deploymentRun.findUniqueOrThrow({ where: { id: claimed.id } })).error).toBeNull();
      now = new Date(now.getTime() + 2 * 60_000);
      await pass();
      expect((await prisma.deploymentRun.findUniqueOrThrow({ where: { id: claimed.id } })).error).toEqual({ type: "unknown_error", message: "the run was interrupted before its session was created" });
    } finally {
      await embedded.cleanup();
    }
  });
});
