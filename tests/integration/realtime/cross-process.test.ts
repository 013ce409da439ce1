import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type Database } from "@/lib/db/open-database";
import { RedisEventBus } from "@/lib/realtime/redis-event-bus";
import { PrismaSessionStore } from "@/lib/event-log/prisma/prisma-session-store";
import { withPublishing } from "@/lib/realtime/publishing-session-store";
import type { SessionStore } from "@/lib/event-log/session-store";
import { createApiKey } from "@/lib/teams/api-keys/create-api-key";
import { openTestDatabase, type TTestDatabase } from "@/tests/fixtures/databases";
import { requirePostgres } from "@/tests/fixtures/postgres";
import { requireRedis, TEST_REDIS_URL, uniquePrefix } from "@/tests/fixtures/redis";
import { agentMessage, createTestSession, seedSessionPrereqs, userMessage, type TSessionPrereqs } from "@/tests/fixtures/seed";
import { quietLog, range, settle, startRealtimeServer, TestViewer, waitFor, type TTestServer } from "./realtime-helpers";

// Several processes, as deployed: two web servers (each its own database pool, event bus and
// Socket.io server with the Redis adapter) and a worker (its own pool and bus, no Socket.io),
// sharing one PostgreSQL database and one Redis server. Nothing here polls the log: whatever
// reaches a viewer live went through Redis.

const available = (await requireRedis("the cross-process realtime test")) && (await requirePostgres("the cross-process realtime test"));
const NO_POLL = 3_600_000;

type TProcess = { db: Database; bus: RedisEventBus; store: SessionStore; server?: TTestServer };

describe.runIf(available)("realtime across processes", () => {
  let database: TTestDatabase;
  let prereqs: TSessionPrereqs;
  let webA: TProcess;
  let webB: TProcess;
  let worker: TProcess;
  let alice: string;
  let bob: string;
  const channelPrefix = uniquePrefix("xp-bus");
  const adapterKey = uniquePrefix("xp-adapter");
  const viewers: TestViewer[] = [];

  async function startProcess(web: boolean): Promise<TProcess> {
    const db = await openDatabase(database.target, { migrate: false });
    const bus = await RedisEventBus.connect({ url: TEST_REDIS_URL, log: quietLog, channelPrefix });
    const store = withPublishing(new PrismaSessionStore(db.prisma), bus);
    const server = web ? await startRealtimeServer({ prisma: db.prisma, store, bus, redisUrl: TEST_REDIS_URL, adapterKey, pollMs: NO_POLL }) : undefined;
    return { db, bus, store, server };
  }
  async function stopProcess(p: TProcess | undefined): Promise<void> {
    await p?.server?.close();
    await p?.bus.close();
    await p?.db.close();
  }
  const viewer = (p: TProcess, key: string) => {
    const v = new TestViewer(p.server!.url, key);
    viewers.push(v);
    return v;
  };

  beforeAll(async () => {
    database = await openTestDatabase("postgres");
    prereqs = await seedSessionPrereqs(database.db.prisma);
    alice = (await createApiKey(database.db.prisma, { teamId: prereqs.teamId, name: "alice" })).key;
    bob = (await createApiKey(database.db.prisma, { teamId: prereqs.teamId, name: "bob" })).key;
    [webA, webB, worker] = await Promise.all([startProcess(true), startProcess(true), startProcess(false)]);
  });

  afterEach(() => viewers.splice(0).forEach((v) => v.close()));

  afterAll(async () => {
    await Promise.all([stopProcess(webA), stopProcess(webB), stopProcess(worker)]);
    await database?.cleanup();
  });

  it("delivers events appended by a worker and by either web server to viewers on both servers, each once, in order", async () => {
    const sessionId = await createTestSession(webA.store, prereqs);
    const [onA, onB] = [viewer(webA, alice), viewer(webB, bob)];
    expect(await onA.join(sessionId)).toEqual({ ok: true, lastSeq: 0 });
    expect(await onB.join(sessionId)).toEqual({ ok: true, lastSeq: 0 });

    const appendAll = async (p: TProcess, times: number, events: (i: number) => unknown[]) => {
      for (let i = 0; i < times; i++) await p.store.appendEvents(sessionId, events(i));
    };
    await Promise.all([
      appendAll(worker, 25, (i) => [agentMessage(`w${i}`), agentMessage(`w${i}'`)]),
      appendAll(webA, 10, (i) => [userMessage(`a${i}`)]),
      appendAll(webB, 10, (i) => [userMessage(`b${i}`)]),
    ]);
    await waitFor("every event on both servers", () => onA.lastSeq() === 70 && onB.lastSeq() === 70);
    await settle();
    expect(onA.seqs()).toEqual(range(1, 70));
    expect(onB.seqs()).toEqual(range(1, 70));
    expect(onB.events.map((e) => e.id)).toEqual(onA.events.map((e) => e.id));
  });

  it("delivers a worker's previews to viewers on both servers", async () => {
    const sessionId = await createTestSession(worker.store, prereqs);
    const [onA, onB] = [viewer(webA, alice), viewer(webB, bob)];
    await onA.join(sessionId);
    await onB.join(sessionId);
    worker.bus.publish(sessionId, { kind: "preview", preview: { type: "event_start", event: { type: "agent.message", id: "sevt_live" } } });
    await waitFor("the preview on both servers", () => onA.previews.length === 1 && onB.previews.length === 1);
    expect(onB.previews[0]!.preview).toEqual({ type: "event_start", event: { type: "agent.message", id: "sevt_live" } });
  });

  it("catches a viewer up from the shared log on the other server, then streams the worker's events", async () => {
    const sessionId = await createTestSession(worker.store, prereqs);
    for (let i = 0; i < 4; i++) await worker.store.appendEvents(sessionId, [agentMessage(`early${i}`)]);
    const late = viewer(webB, bob);
    expect(await late.join(sessionId, 1)).toEqual({ ok: true, lastSeq: 4 });
    await worker.store.appendEvents(sessionId, [agentMessage("later")]);
    await waitFor("the live event", () => late.lastSeq() === 5);
    await settle();
    expect(late.seqs()).toEqual([2, 3, 4, 5]);
  });

  it("lists viewers of both servers in presence, and updates it everywhere on leave and on a server's shutdown", async () => {
    const sessionId = await createTestSession(webA.store, prereqs);
    const [aliceOnA, bobOnB, aliceOnB] = [viewer(webA, alice), viewer(webB, bob), viewer(webB, alice)];
    await aliceOnA.join(sessionId);
    await bobOnB.join(sessionId);
    await aliceOnB.join(sessionId); // alice's second tab, on the other server: still one alice
    for (const v of [aliceOnA, bobOnB, aliceOnB]) await waitFor("presence of both", () => v.viewerNames(sessionId)?.join() === "alice,bob");

    await bobOnB.leave(sessionId);
    await waitFor("bob gone, seen on server A", () => aliceOnA.viewerNames(sessionId)?.join() === "alice");
    await bobOnB.join(sessionId);
    await waitFor("bob back, seen on server A", () => aliceOnA.viewerNames(sessionId)?.join() === "alice,bob");

    // alice's only tab on B goes with the server; bob (on B too) is gone; alice stays through her tab on A
    await stopProcess(webB);
    await waitFor("server B's viewers gone, seen on server A", () => aliceOnA.viewerNames(sessionId)?.join() === "alice");
    webB = await startProcess(true);
    const bobAgain = viewer(webB, bob);
    await bobAgain.join(sessionId);
    await waitFor("bob on the restarted server", () => aliceOnA.viewerNames(sessionId)?.join() === "alice,bob");
  });
});
