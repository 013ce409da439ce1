import Anthropic from "@anthropic-ai/sdk";
import { BetaHeartbeatPreconditionFailedError } from "@anthropic-ai/sdk/resources/beta/environments/work";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { openDatabase, type Database } from "@/lib/db/open-database";
import { ACK_CLAIM_SECONDS, ackWork } from "@/lib/environments/work/ack-work";
import { authenticateWorkToken } from "@/lib/environments/work/authenticate-work-token";
import { databaseNow } from "@/lib/environments/work/database-now";
import { enqueueSessionWork } from "@/lib/environments/work/enqueue-session-work";
import { heartbeatWork } from "@/lib/environments/work/heartbeat-work";
import { createApiKey } from "@/lib/teams/api-keys/create-api-key";
import { revokeApiKey } from "@/lib/teams/api-keys/revoke-api-key";
import { createTeam } from "@/lib/teams/create-team";
import { startAppServer, type AppServer } from "@/tests/fixtures/app-server";
import { requirePostgres } from "@/tests/fixtures/postgres";
import { startScript } from "@/tests/fixtures/script-process";
import { failure, RFC3339 } from "@/tests/fixtures/sdk-client";

/**
 * The work queue of a self-hosted environment through the official SDK's `client.beta.environments.work`
 * (reference §2.3): poll → ack → heartbeat → stop, the item's session token and its scope, get,
 * metadata, list and stats, and every bad input of the issue answered with its status and error,
 * nothing changed. Items are queued here as the harness queues them (`enqueueSessionWork`), so the
 * queue is tested on its own; tests/integration/hands-worker.test.ts runs the whole flow.
 */
const available = await requirePostgres("the environment work queue suite");

type TWork = Awaited<ReturnType<Anthropic["beta"]["environments"]["work"]["ack"]>>;

describe.runIf(available)("the work queue of a self-hosted environment", () => {
  let app: AppServer;
  let db: Database;
  let client: Anthropic;
  let stranger: Anthropic;
  let environmentId: string;
  let agentId: string;

  beforeAll(async () => {
    app = await startAppServer({ database: "postgres" });
    db = await openDatabase({ kind: "postgres", url: app.databaseUrl!, poolSize: 2 }, { migrate: false });
    const team = await createTeam(db.prisma, { slug: "other-team", name: "Other" });
    const { key } = await createApiKey(db.prisma, { teamId: team.id, name: "test" });
    client = new Anthropic({ apiKey: app.apiKey, baseURL: app.url, maxRetries: 0 });
    stranger = new Anthropic({ apiKey: key, baseURL: app.url, maxRetries: 0 });
    environmentId = (await client.beta.environments.create({ name: "my machines", config: { type: "self_hosted" } })).id;
    agentId = (await client.beta.agents.create({ name: "hands agent", model: "claude-test" } as never)).id;
  });
  afterAll(async () => {
    await db?.close();
    await app?.stop();
  });

  /** A session of the self-hosted environment with a work item queued for it. */
  async function queuedItem() {
    const session = await client.beta.sessions.create({ agent: agentId, environment_id: environmentId });
    const workId = await enqueueSessionWork({ prisma: db.prisma }, { sessionId: session.id });
    expect(workId).toMatch(/^work_/);
    return { sessionId: session.id, workId: workId! };
  }

  const work = () => client.beta.environments.work;
  const row = (id: string) => db.prisma.environmentWork.findUniqueOrThrow({ where: { id } });
  const tokenOf = (secret: string | null) => (JSON.parse(Buffer.from(secret!, "base64url").toString("utf8")) as { sessions_token: string }).sessions_token;
  const asToken = (token: string) => new Anthropic({ apiKey: token, baseURL: app.url, maxRetries: 0 });

  /** Polls until the item `workId` is handed out (other tests' items may come first: they are stopped). */
  async function pollFor(workId: string, workerId = "worker-a") {
    for (let i = 0; i < 20; i++) {
      const item = await work().poll(environmentId, { block_ms: 999, "Anthropic-Worker-ID": workerId });
      if (item?.id === workId) return item;
      if (item) await work().stop(item.id, { environment_id: environmentId, force: true });
    }
    throw new Error(`work ${workId} was never handed out`);
  }

  it("hands an item out once, with a session token, through ack, heartbeats and a forced stop", async () => {
    const { sessionId, workId } = await queuedItem();
    expect(await enqueueSessionWork({ prisma: db.prisma }, { sessionId })).toBe(workId); // one live item per session
    const listed = await work().retrieve(workId, { environment_id: environmentId });
    expect(listed).toMatchObject({ id: workId, type: "work", state: "queued", secret: null, data: { type: "session", id: sessionId }, environment_id: environmentId });

    const polled = await pollFor(workId);
    expect(polled.state).toBe("queued");
    expect(polled.created_at).toMatch(RFC3339);
    const token = tokenOf(polled.secret);
    expect(token).toMatch(/^omaw_/);
    expect((await work().retrieve(workId, { environment_id: environmentId })).secret).toBeNull();
    // handed out and not acked: no other poll gets it within reclaim_older_than_ms
    expect(await work().poll(environmentId, { "Anthropic-Worker-ID": "worker-b" })).toBeNull();
    const pendingStats = await work().stats(environmentId);
    expect(pendingStats).toMatchObject({ type: "work_queue_stats", pending: 1, depth: 0 });
    expect(pendingStats.workers_polling).toBeGreaterThanOrEqual(2);

    const acked: TWork = await work().ack(workId, { environment_id: environmentId });
    expect(acked).toMatchObject({ state: "starting", secret: null });
    expect(acked.acknowledged_at).toMatch(RFC3339);

    // the token reads its own session, heartbeats and stops its own item (as the SDK's worker does)
    const worker = asToken(token);
    expect((await worker.beta.sessions.retrieve(sessionId)).id).toBe(sessionId);
    expect((await worker.beta.sessions.events.list(sessionId)).data).toEqual([]);
    const first = await worker.beta.environments.work.heartbeat(workId, { environment_id: environmentId, expected_last_heartbeat: "NO_HEARTBEAT" });
    expect(first).toMatchObject({ type: "work_heartbeat", lease_extended: true, state: "active", ttl_seconds: 300 });
    expect(first.last_heartbeat).toMatch(RFC3339);
    const second = await worker.beta.environments.work.heartbeat(workId, { environment_id: environmentId, expected_last_heartbeat: first.last_heartbeat, desired_ttl_seconds: 60 });
    expect(second).toMatchObject({ lease_extended: true, state: "active", ttl_seconds: 60 });
    expect(second.last_heartbeat).not.toBe(first.last_heartbeat);

    const stopped = await worker.beta.environments.work.stop(workId, { environment_id: environmentId, force: true });
    expect(stopped).toMatchObject({ state: "stopped" });
    expect(stopped.stopped_at).toMatch(RFC3339);
    // the token died with the item
    expect((await failure(worker.beta.sessions.retrieve(sessionId))).status).toBe(401);
    // a stopped item: 409, which the SDK's worker takes for "already stopped"
    const again = await failure(work().stop(workId, { environment_id: environmentId, force: true }));
    expect(again.status).toBe(409);
  });

  it("sets and reads leases by the database's clock, whatever the clock of the process serving the call says", async () => {
    const { workId } = await queuedItem();
    const polled = await pollFor(workId, "worker-skewed");
    const token = tokenOf(polled.secret);
    const teamId = (await db.prisma.environment.findUniqueOrThrow({ where: { id: environmentId } })).teamId;
    const caller = { teamId, workerId: "worker-skewed" };
    // this process plays a web process whose clock runs two hours ahead of the database's
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() + 2 * 3600_000, shouldAdvanceTime: true });
    try {
      await ackWork({ prisma: db.prisma }, { caller, environmentId, workId });
      const dbNow = async () => (await databaseNow(db.prisma)).getTime();
      const acked = await row(workId);
      // until the first heartbeat, the ack's claim window (ACK_CLAIM_SECONDS), not the whole ttl
      expect(Math.abs(acked.leaseExpiresAt!.getTime() - ((await dbNow()) + ACK_CLAIM_SECONDS * 1000))).toBeLessThan(10_000);
      await heartbeatWork({ prisma: db.prisma }, { caller, environmentId, workId, query: new URLSearchParams({ expected_last_heartbeat: "NO_HEARTBEAT", desired_ttl_seconds: "60" }) });
      const beaten = await row(workId);
      expect(Math.abs(beaten.leaseExpiresAt!.getTime() - ((await dbNow()) + 60_000))).toBeLessThan(10_000);
      // an hour "later" by this clock, yet within the lease by the database's: the token still holds
      expect(await authenticateWorkToken(db.prisma, token)).toMatchObject({ workId });
    } finally {
      vi.useRealTimers();
    }
    // and one whose lease ran out by the database's clock is refused, whatever this clock says
    await db.prisma.$executeRaw`UPDATE "EnvironmentWork" SET "leaseExpiresAt" = (clock_timestamp() AT TIME ZONE 'UTC') - interval '1 second' WHERE id = ${workId}`;
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() - 2 * 3600_000, shouldAdvanceTime: true });
    try {
      expect(await authenticateWorkToken(db.prisma, token)).toBeNull();
    } finally {
      vi.useRealTimers();
    }
    await work().stop(workId, { environment_id: environmentId, force: true });
  });

  it("stops gracefully: the next heartbeat says lease_extended false, then the worker stops it", async () => {
    const { workId } = await queuedItem();
    const polled = await pollFor(workId);
    await work().ack(workId, { environment_id: environmentId });
    const worker = asToken(tokenOf(polled.secret));
    const beat = await worker.beta.environments.work.heartbeat(workId, { environment_id: environmentId, expected_last_heartbeat: "NO_HEARTBEAT" });
    expect((await work().stop(workId, { environment_id: environmentId })).state).toBe("stopping");
    const told = await worker.beta.environments.work.heartbeat(workId, { environment_id: environmentId, expected_last_heartbeat: beat.last_heartbeat });
    expect(told).toMatchObject({ lease_extended: false, state: "stopping" });
    expect((await worker.beta.environments.work.stop(workId, { environment_id: environmentId, force: true })).state).toBe("stopped");
  });

  it("stops an item left stopping by a worker that went away once its lease runs out, at the next poll", async () => {
    const { workId } = await queuedItem();
    const polled = await pollFor(workId);
    await work().ack(workId, { environment_id: environmentId });
    const worker = asToken(tokenOf(polled.secret));
    await worker.beta.environments.work.heartbeat(workId, { environment_id: environmentId, expected_last_heartbeat: "NO_HEARTBEAT" });
    expect((await work().stop(workId, { environment_id: environmentId })).state).toBe("stopping");
    // the worker never heartbeats again nor stops the item: its lease runs out
    await db.prisma.environmentWork.update({ where: { id: workId }, data: { leaseExpiresAt: new Date(Date.now() - 1000) } });
    expect((await row(workId)).state).toBe("stopping");
    const other = await work().poll(environmentId, { "Anthropic-Worker-ID": "worker-b" });
    if (other) await work().stop(other.id, { environment_id: environmentId, force: true });
    const stopped = await row(workId);
    expect(stopped).toMatchObject({ state: "stopped", tokenHash: null });
    expect(stopped.stoppedAt).toBeInstanceOf(Date);
    expect((await failure(worker.beta.environments.work.heartbeat(workId, { environment_id: environmentId, expected_last_heartbeat: "NO_HEARTBEAT" }))).status).toBe(401);
  });

  it("ends a session stream opened with an item's token when the item stops, and refuses to open it again", async () => {
    const { sessionId, workId } = await queuedItem();
    const polled = await pollFor(workId);
    await work().ack(workId, { environment_id: environmentId });
    const token = tokenOf(polled.secret);
    const response = await fetch(`${app.url}/v1/sessions/${sessionId}/events/stream`, { headers: { "x-api-key": token } });
    expect(response.status).toBe(200);
    const reader = response.body!.getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toContain("event: ping");
    await work().stop(workId, { environment_id: environmentId, force: true });
    // the stream rechecks its token every few seconds and then ends (the read resolves done)
    let done = false;
    while (!done) done = (await reader.read()).done;
    expect(done).toBe(true);
    const again = await fetch(`${app.url}/v1/sessions/${sessionId}/events/stream`, { headers: { "x-api-key": token } });
    expect(again.status).toBe(401);
    await again.body?.cancel();
  });

  it("ends a session stream opened with a team API key when the key is revoked", async () => {
    const { sessionId } = await queuedItem();
    const team = await db.prisma.team.findUniqueOrThrow({ where: { slug: "default" } });
    const { id, key } = await createApiKey(db.prisma, { teamId: team.id, name: "revoked while streaming" });
    const response = await fetch(`${app.url}/v1/sessions/${sessionId}/events/stream`, { headers: { "x-api-key": key } });
    expect(response.status).toBe(200);
    const reader = response.body!.getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toContain("event: ping");
    await revokeApiKey(db.prisma, { teamId: team.id, id });
    let done = false;
    while (!done) done = (await reader.read()).done;
    expect(done).toBe(true);
  });

  it("merges metadata, lists items newest first in pages, and retrieves one", async () => {
    const { workId } = await queuedItem();
    const updated = await work().update(workId, { environment_id: environmentId, metadata: { host: "rack-1", note: "x" } });
    expect(updated.metadata).toEqual({ host: "rack-1", note: "x" });
    expect((await work().update(workId, { environment_id: environmentId, metadata: { note: null } })).metadata).toEqual({ host: "rack-1" });
    const bad = await failure(work().update(workId, { environment_id: environmentId, metadata: { "": "empty key" } }));
    expect(bad.status).toBe(400);
    const firstPage = await work().list(environmentId, { limit: 1 });
    expect(firstPage.data.map((w) => w.id)).toEqual([workId]);
    const all: string[] = [];
    for await (const item of work().list(environmentId, { limit: 1 })) all.push(item.id);
    expect(all.length).toBeGreaterThanOrEqual(3);
    expect([...all].sort().reverse()).toEqual(all);
  });

  it("an environment key (from the CLI) polls, acks, heartbeats and stops its own environment's work, and authorizes nothing else", async () => {
    const cliEnv = { DATABASE_URL: app.databaseUrl!, NEXTAUTH_SECRET: "cli-test-secret-0123456789abcdef0123456789" };
    const cli = startScript("scripts/cli.ts", { args: ["keys", "create", "--team", "default", "--name", "rack-1", "--environment", environmentId], env: cliEnv });
    expect(await cli.waitForExit()).toBe(0);
    expect(cli.stdout()).toContain(`environment key`);
    const key = cli.stdout().split("\n").find((line) => line.startsWith("oma_"))!;
    const cloud = await client.beta.environments.create({ name: "not self-hosted" });
    const refused = startScript("scripts/cli.ts", { args: ["keys", "create", "--team", "default", "--environment", cloud.id], env: cliEnv });
    expect(await refused.waitForExit()).not.toBe(0);
    const keyed = new Anthropic({ apiKey: key, baseURL: app.url, maxRetries: 0 });
    const { workId } = await queuedItem();
    let item = null;
    for (let i = 0; i < 20 && item?.id !== workId; i++) {
      item = await keyed.beta.environments.work.poll(environmentId, { block_ms: 999 });
      if (item && item.id !== workId) await keyed.beta.environments.work.stop(item.id, { environment_id: environmentId, force: true });
    }
    expect(item?.id).toBe(workId);
    expect((await keyed.beta.environments.work.ack(workId, { environment_id: environmentId })).state).toBe("starting");
    const beat = await keyed.beta.environments.work.heartbeat(workId, { environment_id: environmentId, expected_last_heartbeat: "NO_HEARTBEAT" });
    expect(beat.lease_extended).toBe(true);
    expect((await keyed.beta.environments.work.list(environmentId)).data.map((w) => w.id)).toContain(workId);
    expect((await keyed.beta.environments.work.stop(workId, { environment_id: environmentId, force: true })).state).toBe("stopped");

    const elsewhere = await client.beta.environments.create({ name: "other machines", config: { type: "self_hosted" } });
    expect((await failure(keyed.beta.environments.work.poll(elsewhere.id))).status).toBe(403);
    for (const call of [
      () => keyed.beta.agents.list(),
      () => keyed.beta.sessions.list(),
      () => keyed.beta.environments.retrieve(environmentId),
      () => keyed.beta.environments.work.stats(environmentId),
    ]) {
      expect((await failure(call())).status).toBe(401);
    }
  });

  describe("bad input: the documented status and error, nothing changed", () => {
    it("block_ms out of range (and other malformed poll parameters) is a 400 naming the field", async () => {
      const before = await db.prisma.environmentWork.findMany({ where: { environmentId }, orderBy: { id: "asc" } });
      for (const block_ms of [0, 1000, -5, 1.5]) {
        const error = await failure(work().poll(environmentId, { block_ms }));
        expect(error.status, String(block_ms)).toBe(400);
        expect(error.message).toContain("block_ms");
      }
      const raw = await fetch(`${app.url}/v1/environments/${environmentId}/work/poll?block_ms=soon`, { headers: { "x-api-key": app.apiKey } });
      expect(raw.status).toBe(400);
      expect((await failure(work().poll(environmentId, { reclaim_older_than_ms: -1 }))).status).toBe(400);
      expect(await db.prisma.environmentWork.findMany({ where: { environmentId }, orderBy: { id: "asc" } })).toEqual(before);
    });

    it("a poll on another team's environment is a 404 environment_not_found, and hands nothing out", async () => {
      const { workId } = await queuedItem();
      const error = await failure(stranger.beta.environments.work.poll(environmentId, { block_ms: 10 }));
      expect(error.status).toBe(404);
      expect(error.error).toMatchObject({ error: { type: "not_found_error", details: { error_code: "environment_not_found" } } });
      for (const call of [
        () => stranger.beta.environments.work.stats(environmentId),
        () => stranger.beta.environments.work.list(environmentId),
        () => stranger.beta.environments.work.retrieve(workId, { environment_id: environmentId }),
        () => stranger.beta.environments.work.ack(workId, { environment_id: environmentId }),
        () => stranger.beta.environments.work.stop(workId, { environment_id: environmentId, force: true }),
      ]) {
        expect((await failure(call())).status).toBe(404);
      }
      expect(await row(workId)).toMatchObject({ state: "queued", polledAt: null, tokenHash: null });
      await work().stop(workId, { environment_id: environmentId, force: true });
    });

    it("a cloud environment has no work queue (400)", async () => {
      const cloud = await client.beta.environments.create({ name: "cloud" });
      expect((await failure(work().poll(cloud.id))).status).toBe(400);
    });

    it("a worker id that does not own the item is a 403 on ack and heartbeat; the item is unchanged", async () => {
      const { workId } = await queuedItem();
      await pollFor(workId, "worker-owner");
      const asOther = { headers: { "Anthropic-Worker-ID": "worker-intruder" } };
      const ack = await failure(work().ack(workId, { environment_id: environmentId }, asOther));
      expect(ack.status).toBe(403);
      expect(ack.error).toMatchObject({ error: { type: "permission_error", details: { error_code: "work_not_owned" } } });
      const before = await row(workId);
      expect(before.state).toBe("queued");
      await work().ack(workId, { environment_id: environmentId }, { headers: { "Anthropic-Worker-ID": "worker-owner" } });
      const beat = await failure(work().heartbeat(workId, { environment_id: environmentId, expected_last_heartbeat: "NO_HEARTBEAT" }, asOther));
      expect(beat.status).toBe(403);
      expect(await row(workId)).toMatchObject({ state: "starting", latestHeartbeatAt: null });
      await work().stop(workId, { environment_id: environmentId, force: true });
    });

    it("an ack of an acked item is a 409 work_not_queued, and changes nothing", async () => {
      const { workId } = await queuedItem();
      await pollFor(workId);
      await work().ack(workId, { environment_id: environmentId });
      const before = await row(workId);
      const error = await failure(work().ack(workId, { environment_id: environmentId }));
      expect(error.status).toBe(409);
      expect(error.error).toMatchObject({ error: { type: "conflict_error", details: { error_code: "work_not_queued" } } });
      expect(await row(workId)).toEqual(before);
      // and one that no poll handed out cannot be acked either
      const fresh = await queuedItem();
      expect((await failure(work().ack(fresh.workId, { environment_id: environmentId }))).status).toBe(409);
      await work().stop(workId, { environment_id: environmentId, force: true });
    });

    it("a heartbeat with a stale precondition is a 412 heartbeat_precondition_failed carrying the lease; nothing changes", async () => {
      const { workId } = await queuedItem();
      const polled = await pollFor(workId);
      await work().ack(workId, { environment_id: environmentId });
      const worker = asToken(tokenOf(polled.secret));
      const first = await worker.beta.environments.work.heartbeat(workId, { environment_id: environmentId, expected_last_heartbeat: "NO_HEARTBEAT" });
      const second = await worker.beta.environments.work.heartbeat(workId, { environment_id: environmentId, expected_last_heartbeat: first.last_heartbeat });
      const before = await row(workId);
      const refusals = [
        // older than the heartbeat before the latest, or never one of this lease's
        ...["NO_HEARTBEAT", "2020-01-01T00:00:00.000Z"].map((stale) => () => worker.beta.environments.work.heartbeat(workId, { environment_id: environmentId, expected_last_heartbeat: stale })),
        // the heartbeat before the latest, from a caller without the item's token: not its retry
        () => work().heartbeat(workId, { environment_id: environmentId, expected_last_heartbeat: first.last_heartbeat }),
      ];
      for (const refused of refusals) {
        const error = await failure(refused());
        expect(error).toBeInstanceOf(BetaHeartbeatPreconditionFailedError);
        expect(error.status).toBe(412);
        expect(error.error).toMatchObject({
          error: { details: { error_code: "heartbeat_precondition_failed", current_state: { state: "active", last_heartbeat: second.last_heartbeat, lease_extended: false, ttl_seconds: 300 } } },
        });
      }
      expect(await row(workId)).toEqual(before);
      await worker.beta.environments.work.stop(workId, { environment_id: environmentId, force: true });
    });

    it("a heartbeat retried by the item's token after its answer was lost extends the lease, as the SDK's worker retries it", async () => {
      const { workId } = await queuedItem();
      const polled = await pollFor(workId);
      await work().ack(workId, { environment_id: environmentId });
      const worker = asToken(tokenOf(polled.secret));
      // the first heartbeat is committed, but its answer never reaches the worker: it sends NO_HEARTBEAT again
      const lost = await worker.beta.environments.work.heartbeat(workId, { environment_id: environmentId, expected_last_heartbeat: "NO_HEARTBEAT" });
      const retried = await worker.beta.environments.work.heartbeat(workId, { environment_id: environmentId, expected_last_heartbeat: "NO_HEARTBEAT" });
      expect(retried).toMatchObject({ lease_extended: true, state: "active", ttl_seconds: 300 });
      expect(retried.last_heartbeat > lost.last_heartbeat).toBe(true);
      // the same after a later heartbeat: its retry names the one before it
      const next = await worker.beta.environments.work.heartbeat(workId, { environment_id: environmentId, expected_last_heartbeat: retried.last_heartbeat });
      const again = await worker.beta.environments.work.heartbeat(workId, { environment_id: environmentId, expected_last_heartbeat: retried.last_heartbeat });
      expect(again).toMatchObject({ lease_extended: true, state: "active" });
      expect((await row(workId)).latestHeartbeatAt!.toISOString()).toBe(again.last_heartbeat);
      expect(again.last_heartbeat > next.last_heartbeat).toBe(true);
      await worker.beta.environments.work.stop(workId, { environment_id: environmentId, force: true });
    });

    it("a session token used on another session, another item or any other endpoint is refused, nothing written", async () => {
      const mine = await queuedItem();
      const other = await queuedItem();
      const polled = await pollFor(mine.workId);
      await work().ack(mine.workId, { environment_id: environmentId });
      const worker = asToken(tokenOf(polled.secret));
      for (const call of [
        () => worker.beta.sessions.retrieve(other.sessionId),
        () => worker.beta.sessions.events.list(other.sessionId),
        () => worker.beta.sessions.events.stream(other.sessionId),
        () => worker.beta.sessions.events.send(other.sessionId, { events: [{ type: "user.message", content: [{ type: "text", text: "hi" }] }] }),
        () => worker.beta.environments.work.heartbeat(other.workId, { environment_id: environmentId, expected_last_heartbeat: "NO_HEARTBEAT" }),
        () => worker.beta.environments.work.stop(other.workId, { environment_id: environmentId, force: true }),
      ]) {
        const error = await failure(call());
        expect(error.status).toBe(403);
        expect(error.error).toMatchObject({ error: { type: "permission_error" } });
      }
      // a memory store its session does not mount: refused, nothing written (those it mounts: hands-worker.test.ts)
      const store = await client.beta.memoryStores.create({ name: "not mounted" });
      for (const call of [() => worker.beta.memoryStores.memories.list(store.id), () => worker.beta.memoryStores.memories.create(store.id, { path: "/x.md", content: "x" })]) {
        const error = await failure(call());
        expect(error.status).toBe(403);
      }
      expect((await client.beta.memoryStores.memories.list(store.id)).data).toEqual([]);
      expect((await failure(worker.beta.memoryStores.list())).status).toBe(401);
      // endpoints that do not take a work token at all: as an unknown key
      expect((await failure(worker.beta.agents.list())).status).toBe(401);
      expect((await failure(worker.beta.environments.work.poll(environmentId))).status).toBe(401);
      expect((await failure(worker.beta.sessions.list())).status).toBe(401);
      // on its own session it sends tool results only, each for a tool use of the session
      const message = await failure(worker.beta.sessions.events.send(mine.sessionId, { events: [{ type: "user.message", content: [{ type: "text", text: "hi" }] }] }));
      expect(message.status).toBe(400);
      const orphan = await failure(worker.beta.sessions.events.send(mine.sessionId, { events: [{ type: "user.tool_result", tool_use_id: "sevt_01ABCDEFGHJKMNPQRSTVWXYZ00", content: [{ type: "text", text: "x" }] }] }));
      expect(orphan.status).toBe(400);
      for (const sessionId of [mine.sessionId, other.sessionId]) {
        expect(await db.prisma.sessionEvent.count({ where: { sessionId } })).toBe(0);
      }
      expect(await row(other.workId)).toMatchObject({ state: "queued", latestHeartbeatAt: null, stoppedAt: null });
      await work().stop(mine.workId, { environment_id: environmentId, force: true });
      await work().stop(other.workId, { environment_id: environmentId, force: true });
    });

    it("a worker whose lease ran out is refused, and the item goes back to the queue for another worker", async () => {
      const { sessionId, workId } = await queuedItem();
      const polled = await pollFor(workId, "worker-slow");
      await work().ack(workId, { environment_id: environmentId });
      const worker = asToken(tokenOf(polled.secret));
      await worker.beta.environments.work.heartbeat(workId, { environment_id: environmentId, expected_last_heartbeat: "NO_HEARTBEAT", desired_ttl_seconds: 5 });
      await db.prisma.environmentWork.update({ where: { id: workId }, data: { leaseExpiresAt: new Date(Date.now() - 1000) } }); // five seconds pass
      expect((await failure(worker.beta.sessions.retrieve(sessionId))).status).toBe(401);
      const reclaimed = await pollFor(workId, "worker-fresh");
      expect(reclaimed.state).toBe("queued");
      expect(tokenOf(reclaimed.secret)).not.toBe(tokenOf(polled.secret));
      expect((await failure(worker.beta.environments.work.heartbeat(workId, { environment_id: environmentId, expected_last_heartbeat: "NO_HEARTBEAT" }))).status).toBe(401);
      await work().stop(workId, { environment_id: environmentId, force: true });
    });

    it("an acked item whose worker never heartbeats (the ack's answer was lost, its retry refused) goes back after the claim window, not the ttl", async () => {
      const { workId } = await queuedItem();
      await pollFor(workId, "worker-unaware");
      await work().ack(workId, { environment_id: environmentId });
      expect((await failure(work().ack(workId, { environment_id: environmentId }))).status).toBe(409); // the SDK's retry of it
      const acked = await row(workId);
      const window = acked.leaseExpiresAt!.getTime() - acked.acknowledgedAt!.getTime();
      expect(window).toBe(ACK_CLAIM_SECONDS * 1000);
      expect(acked.ttlSeconds * 1000).toBeGreaterThan(window);
      await db.prisma.environmentWork.update({ where: { id: workId }, data: { leaseExpiresAt: new Date(Date.now() - 1000) } }); // the window passes
      const again = await pollFor(workId, "worker-b");
      await work().ack(workId, { environment_id: environmentId }, { headers: { "Anthropic-Worker-ID": "worker-b" } });
      const beat = await asToken(tokenOf(again.secret)).beta.environments.work.heartbeat(workId, { environment_id: environmentId, expected_last_heartbeat: "NO_HEARTBEAT" });
      expect(beat).toMatchObject({ lease_extended: true, ttl_seconds: 300 });
      await work().stop(workId, { environment_id: environmentId, force: true });
    });
  });
});
