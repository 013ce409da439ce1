import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { InMemoryEventBus } from "@/lib/realtime/event-bus";
import { PrismaSessionStore } from "@/lib/event-log/prisma/prisma-session-store";
import { withPublishing } from "@/lib/realtime/publishing-session-store";
import type { SessionStore } from "@/lib/event-log/session-store";
import { createApiKey } from "@/lib/teams/api-keys/create-api-key";
import { openTestDatabase, type TTestDatabase } from "@/tests/fixtures/databases";
import { requirePostgres } from "@/tests/fixtures/postgres";
import { agentMessage, createTestSession, seedSessionPrereqs, type TSessionPrereqs } from "@/tests/fixtures/seed";
import { letTimePass } from "@/tests/fixtures/wait";
import { range, settle, startRealtimeServer, TestViewer, waitFor, type TTestServer } from "./realtime-helpers";

// Many sockets of one server watching one session share its feed: one follower of the log, each
// batch broadcast to a room. What each viewer receives must be what a follower of its own would
// have sent: every seq after its afterSeq once, in order, whenever it joins. On PostgreSQL, where a
// read is a round trip (PGlite answers within the same turn of the event loop, so joins arriving
// together never overlap a read there).

const available = await requirePostgres("the shared session feed test");

/** The log is never polled in these tests: live events come through the bus (or a read the join asks for). */
const NO_POLL = 3_600_000;
const VIEWERS = 40;

describe.runIf(available)("a session's feed shared by the sockets of one server", () => {
  let database: TTestDatabase;
  let prereqs: TSessionPrereqs;
  let bus: InMemoryEventBus;
  /** The log without publishing: what it appends reaches viewers only through a read of the log. */
  let silent: SessionStore;
  let store: SessionStore;
  const reads = { getSession: 0, getEvents: 0 };
  let server: TTestServer;
  let apiKey: string;
  const viewers: TestViewer[] = [];

  const viewer = () => {
    const v = new TestViewer(server.url, apiKey);
    viewers.push(v);
    return v;
  };
  const appendMessages = (sessionId: string, count: number, label = "m", to = store) =>
    to.appendEvents(sessionId, Array.from({ length: count }, (_, i) => agentMessage(`${label}${i}`)));

  beforeAll(async () => {
    database = await openTestDatabase("postgres");
    bus = new InMemoryEventBus();
    silent = new PrismaSessionStore(database.db.prisma);
    store = withPublishing(silent, bus);
    prereqs = await seedSessionPrereqs(database.db.prisma);
    apiKey = (await createApiKey(database.db.prisma, { teamId: prereqs.teamId, name: "viewer" })).key;
    const counting: SessionStore = {
      ...store,
      getSession: (id) => ((reads.getSession += 1), store.getSession(id)),
      getEvents: (id, query) => ((reads.getEvents += 1), store.getEvents(id, query)),
    };
    server = await startRealtimeServer({ prisma: database.db.prisma, store: counting, bus, pollMs: NO_POLL });
  });

  afterEach(() => viewers.splice(0).forEach((v) => v.close()));

  afterAll(async () => {
    await server?.close();
    await database?.cleanup();
  });

  it("catches up many viewers joining at once, each from its own seq, sharing the reads of the log", async () => {
    const sessionId = await createTestSession(store, prereqs);
    await appendMessages(sessionId, 30);
    const crowd = Array.from({ length: VIEWERS }, () => viewer());
    await waitFor("every socket connected", () => crowd.every((v) => v.socket.connected));
    reads.getSession = 0;
    reads.getEvents = 0;
    const afterSeqOf = (i: number) => [0, 10, 30][i % 3]!;
    const acks = await Promise.all(crowd.map((v, i) => v.join(sessionId, afterSeqOf(i))));
    expect(acks.every((ack) => ack.ok && ack.lastSeq === 30)).toBe(true);
    crowd.forEach((v, i) => expect(v.seqs()).toEqual(range(afterSeqOf(i) + 1, 30))); // sent before the acknowledgement
    // a socket's own reads would be 2 × VIEWERS sessions and VIEWERS slices of the log
    expect(reads.getSession).toBeLessThan(VIEWERS / 2);
    expect(reads.getEvents).toBeLessThan(VIEWERS / 2);

    await appendMessages(sessionId, 3, "live");
    await waitFor("the live events on every socket", () => crowd.every((v) => v.lastSeq() === 33));
    await settle();
    crowd.forEach((v, i) => expect(v.seqs()).toEqual(range(afterSeqOf(i) + 1, 33)));
  });

  it("hands each viewer joining mid-stream over to the feed without a gap or a repeat", async () => {
    const sessionId = await createTestSession(store, prereqs);
    // the feed starts where the log was at the first join: a join from 0 reads 1..5 from the log, the rest from the feed
    let appended = (await appendMessages(sessionId, 5, "before")).events.length;
    const first = viewer();
    await first.join(sessionId);
    const appending = (async () => {
      for (let i = 0; i < 40; i++) {
        appended += (await appendMessages(sessionId, 2, `s${i}-`)).events.length;
        await letTimePass(3, "pace the appends so the joins land between them");
      }
    })();
    const late: Array<{ v: TestViewer; afterSeq: number }> = [];
    for (let i = 0; i < 6; i++) {
      await waitFor("more events", () => first.lastSeq() >= 10 * (i + 1));
      const v = viewer();
      // from the start, and from a seq just behind what has been sent (what the feed still keeps)
      const afterSeq = i % 2 === 0 ? 0 : first.lastSeq() - 3;
      expect((await v.join(sessionId, afterSeq)).ok).toBe(true);
      late.push({ v, afterSeq });
    }
    await appending;
    await waitFor("every event everywhere", () => [first, ...late.map((l) => l.v)].every((v) => v.lastSeq() === appended));
    await settle();
    expect(first.seqs()).toEqual(range(1, appended));
    for (const { v, afterSeq } of late) expect(v.seqs()).toEqual(range(afterSeq + 1, appended));
  });

  it("reads the log for a viewer joining past what the bus has brought, at once, and gives the others what it found", async () => {
    const sessionId = await createTestSession(store, prereqs);
    const watching = viewer();
    expect(await watching.join(sessionId)).toEqual({ ok: true, lastSeq: 0 });
    await appendMessages(sessionId, 3, "unannounced", silent); // no bus message; the log is never polled
    const joining = viewer();
    const started = Date.now();
    expect(await joining.join(sessionId)).toEqual({ ok: true, lastSeq: 3 });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(joining.seqs()).toEqual([1, 2, 3]);
    await waitFor("the events on the socket already watching", () => watching.lastSeq() === 3);
    await appendMessages(sessionId, 1, "announced");
    await waitFor("the live event on both", () => watching.lastSeq() === 4 && joining.lastSeq() === 4);
    await settle();
    expect(watching.seqs()).toEqual([1, 2, 3, 4]);
    expect(joining.seqs()).toEqual([1, 2, 3, 4]);
  });
});
