import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { InMemoryEventBus } from "@/lib/realtime/event-bus";
import { RedisEventBus } from "@/lib/realtime/redis-event-bus";
import { PrismaSessionStore } from "@/lib/event-log/prisma/prisma-session-store";
import { withPublishing } from "@/lib/realtime/publishing-session-store";
import type { SessionStore } from "@/lib/event-log/session-store";
import { createApiKey } from "@/lib/teams/api-keys/create-api-key";
import { openTestDatabase, type TTestDatabase } from "@/tests/fixtures/databases";
import { TEST_REDIS_URL, requireRedis, uniquePrefix } from "@/tests/fixtures/redis";
import { agentMessage, createTestSession, seedSessionPrereqs, userMessage, type TSessionPrereqs } from "@/tests/fixtures/seed";
import { letTimePass } from "@/tests/fixtures/wait";
import { quietLog, range, settle, startRealtimeServer, TestViewer, waitFor, type TTestServer } from "./realtime-helpers";

// Live sessions over Socket.io against the real session log (PGlite), with a real client: in one
// process (in-memory bus and adapter), and with Redis (RedisEventBus and the Socket.io Redis adapter).

const redisAvailable = await requireRedis("the Redis variant of the session room tests");
/** The log is never polled in these tests: every live event must come through the bus. */
const NO_POLL = 3_600_000;

describe.each([
  { name: "in one process", redis: false },
  { name: "with Redis", redis: true },
])("session rooms $name", ({ redis }) => {
  let database: TTestDatabase;
  let bus: InMemoryEventBus | RedisEventBus;
  let store: SessionStore;
  let prereqs: TSessionPrereqs;
  let server: TTestServer;
  let alice: string;
  let bob: string;
  let outsider: string;
  const viewers: TestViewer[] = [];
  const adapterKey = uniquePrefix("room-adapter");

  const start = () =>
    startRealtimeServer({ prisma: database.db.prisma, store, bus, redisUrl: redis ? TEST_REDIS_URL : undefined, adapterKey, pollMs: NO_POLL });
  const viewer = (key: string | undefined, url = server.url) => {
    const v = new TestViewer(url, key);
    viewers.push(v);
    return v;
  };
  const appendMessages = (sessionId: string, count: number, label = "m") =>
    store.appendEvents(sessionId, Array.from({ length: count }, (_, i) => agentMessage(`${label}${i}`)));

  beforeAll(async () => {
    if (redis && !redisAvailable) return;
    database = await openTestDatabase("pglite");
    bus = redis ? await RedisEventBus.connect({ url: TEST_REDIS_URL, log: quietLog, channelPrefix: uniquePrefix("room-bus") }) : new InMemoryEventBus();
    store = withPublishing(new PrismaSessionStore(database.db.prisma), bus);
    prereqs = await seedSessionPrereqs(database.db.prisma);
    alice = (await createApiKey(database.db.prisma, { teamId: prereqs.teamId, name: "alice" })).key;
    bob = (await createApiKey(database.db.prisma, { teamId: prereqs.teamId, name: "bob" })).key;
    const otherTeam = await seedSessionPrereqs(database.db.prisma);
    outsider = (await createApiKey(database.db.prisma, { teamId: otherTeam.teamId, name: "outsider" })).key;
    server = await start();
  });

  afterEach(() => viewers.splice(0).forEach((v) => v.close()));

  afterAll(async () => {
    await server?.close();
    await bus?.close();
    await database?.cleanup();
  });

  describe.skipIf(redis && !redisAvailable)("against the session log", () => {
    it("sends a client joining with afterSeq=k exactly k+1..n, then live events", async () => {
      const sessionId = await createTestSession(store, prereqs);
      await appendMessages(sessionId, 5);
      const v = viewer(alice);
      const ack = await v.join(sessionId, 2);
      expect(ack).toEqual({ ok: true, lastSeq: 5 });
      expect(v.seqs()).toEqual([3, 4, 5]); // sent before the acknowledgement
      expect(v.events[0]).toMatchObject({ type: "agent.message", seq: 3, content: [{ type: "text", text: "m2" }] });
      expect(v.events[0]!.id).toMatch(/^sevt_/);
      await appendMessages(sessionId, 2, "live");
      await store.appendEvents(sessionId, [userMessage("hello")]);
      await waitFor("the live events", () => v.lastSeq() === 8);
      await settle();
      expect(v.seqs()).toEqual([3, 4, 5, 6, 7, 8]);
      expect(v.events.at(-1)).toMatchObject({ type: "user.message", seq: 8 });
    });

    it("shows every event to two clients, each once and in order", async () => {
      const sessionId = await createTestSession(store, prereqs);
      const [a, b] = [viewer(alice), viewer(bob)];
      expect((await a.join(sessionId)).ok).toBe(true);
      expect((await b.join(sessionId)).ok).toBe(true);
      await Promise.all(range(1, 10).map((i) => appendMessages(sessionId, (i % 3) + 1, `c${i}-`)));
      const total = range(1, 10).reduce((sum, i) => sum + (i % 3) + 1, 0);
      await waitFor("both clients", () => a.lastSeq() === total && b.lastSeq() === total);
      await settle();
      expect(a.seqs()).toEqual(range(1, total));
      expect(b.seqs()).toEqual(range(1, total));
    });

    it("lets a client that disconnects mid-stream rejoin with its last seq, missing and repeating nothing", async () => {
      const sessionId = await createTestSession(store, prereqs);
      const first = viewer(alice);
      await first.join(sessionId);
      let appended = 0;
      const appending = (async () => {
        for (let i = 0; i < 30; i++) {
          appended += (await appendMessages(sessionId, 2, `r${i}-`)).events.length;
          await letTimePass(5, "pace the appends so the client disconnects and rejoins mid-stream");
        }
      })();
      await waitFor("some events", () => first.lastSeq() >= 10);
      first.close();
      const received = [...first.events];
      const appendedAtDisconnect = appended;
      await waitFor("events committed while disconnected", () => appended > appendedAtDisconnect);
      const second = viewer(alice);
      const ack = await second.join(sessionId, received.at(-1)!.seq);
      expect(ack.ok).toBe(true);
      await appending;
      await waitFor("the rest", () => second.lastSeq() === appended);
      await settle();
      expect([...received, ...second.events].map((e) => e.seq)).toEqual(range(1, 60));
    });

    it("resumes on a restarted server from the client's last seq", async () => {
      const sessionId = await createTestSession(store, prereqs);
      await appendMessages(sessionId, 3);
      const before = viewer(alice);
      await before.join(sessionId);
      await waitFor("the log", () => before.lastSeq() === 3);
      await server.close();
      await waitFor("the disconnection", () => !before.socket.connected);
      await appendMessages(sessionId, 2, "while-down");
      server = await start();
      const after = viewer(alice);
      expect(await after.join(sessionId, before.lastSeq())).toEqual({ ok: true, lastSeq: 5 });
      await appendMessages(sessionId, 1, "after");
      await waitFor("the live event", () => after.lastSeq() === 6);
      await settle();
      expect([...before.seqs(), ...after.seqs()]).toEqual(range(1, 6));
    });

    it("refuses unauthorized joins alike and sends them nothing", async () => {
      const sessionId = await createTestSession(store, prereqs);
      await appendMessages(sessionId, 2);
      const watcher = viewer(alice);
      await watcher.join(sessionId);
      const [stranger, anonymous, wrongKey] = [viewer(outsider), viewer(undefined), viewer("oma_not-a-real-key-000000000000")];
      expect(await stranger.join(sessionId)).toEqual({ ok: false, error: "not_found" });
      expect(await anonymous.join(sessionId)).toEqual({ ok: false, error: "not_found" });
      expect(await wrongKey.join(sessionId)).toEqual({ ok: false, error: "not_found" });
      expect(await stranger.join("sesn_01JZZZZZZZZZZZZZZZZZZZZZZZ")).toEqual({ ok: false, error: "not_found" });
      expect(await viewer(alice).join("sesn_01JZZZZZZZZZZZZZZZZZZZZZZZ")).toEqual({ ok: false, error: "not_found" });
      await appendMessages(sessionId, 2, "secret");
      await waitFor("the authorized viewer", () => watcher.lastSeq() === 4);
      await settle();
      for (const refused of [stranger, anonymous, wrongKey]) {
        expect(refused.events).toEqual([]);
        expect(refused.presence).toEqual([]);
      }
      expect(watcher.viewerNames(sessionId)).toEqual(["alice"]);
    });

    it("refuses malformed joins and a seq the session has not reached", async () => {
      const sessionId = await createTestSession(store, prereqs);
      const v = viewer(alice);
      expect(await v.socket.timeout(5_000).emitWithAck("session:join", { sessionId: 42 })).toMatchObject({ ok: false, error: "invalid_request" });
      expect(await v.socket.timeout(5_000).emitWithAck("session:join", { sessionId, afterSeq: -1 })).toMatchObject({ ok: false, error: "invalid_request" });
      expect(await v.socket.timeout(5_000).emitWithAck("session:join", "nope")).toMatchObject({ ok: false, error: "invalid_request" });
      expect(await v.join(sessionId, 7)).toMatchObject({ ok: false, error: "invalid_request" });
    });

    it("lists the viewers once each, however many tabs, and updates on leave and disconnect", async () => {
      const sessionId = await createTestSession(store, prereqs);
      const [aliceTab1, aliceTab2, bobTab] = [viewer(alice), viewer(alice), viewer(bob)];
      await aliceTab1.join(sessionId);
      await aliceTab2.join(sessionId);
      await bobTab.join(sessionId);
      for (const v of [aliceTab1, aliceTab2, bobTab]) await waitFor("presence of both", () => v.viewerNames(sessionId)?.join() === "alice,bob");
      expect(aliceTab1.presence.at(-1)!.viewers).toHaveLength(2);

      expect(await bobTab.leave(sessionId)).toEqual({ ok: true });
      await waitFor("bob gone", () => aliceTab1.viewerNames(sessionId)?.join() === "alice");
      await appendMessages(sessionId, 1);
      await waitFor("alice's event", () => aliceTab1.lastSeq() === 1);
      await settle();
      expect(bobTab.events).toEqual([]); // left: nothing more

      await bobTab.join(sessionId);
      await waitFor("bob back", () => aliceTab2.viewerNames(sessionId)?.join() === "alice,bob");
      bobTab.close();
      await waitFor("bob disconnected", () => aliceTab2.viewerNames(sessionId)?.join() === "alice");
      aliceTab1.close(); // alice still has a tab open: she stays
      await settle();
      expect(aliceTab2.viewerNames(sessionId)).toEqual(["alice"]);
    });

    it("sends previews and the deletion; a command's live output only to the session page's members, not to API clients", async () => {
      const sessionId = await createTestSession(store, prereqs);
      const v = viewer(bob);
      await v.join(sessionId);
      // published first: had it been sent to this API-key viewer, it would arrive before the delta
      bus.publish(sessionId, { kind: "preview", preview: { type: "tool_output", tool_use_id: "sevt_use", stream: "stdout", text: "building\n" } });
      const preview = { type: "event_delta", event_id: "sevt_x", delta: { type: "content_delta", index: 0, content: { type: "text", text: "He" } } } as const;
      bus.publish(sessionId, { kind: "preview", preview });
      await waitFor("the preview", () => v.previews.length === 1);
      expect(v.previews[0]).toEqual({ sessionId, preview });
      bus.publish(sessionId, { kind: "deleted" });
      await waitFor("the deletion", () => v.deleted.length === 1);
      await appendMessages(sessionId, 1);
      await settle();
      expect(v.deleted).toEqual([sessionId]);
      expect(v.events).toEqual([]);
    });
  });
});
