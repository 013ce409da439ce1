import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PrismaWorkQueue, workQueueAppendHooks } from "@/lib/harness/prisma-work-queue";
import { PrismaSessionStore } from "@/lib/event-log/prisma/prisma-session-store";
import { describeWorkQueueContract } from "@/tests/contracts/work-queue.contract";
import { openTestDatabase, type TDatabaseKind, type TTestDatabase } from "@/tests/fixtures/databases";
import { agentMessage, createTestSession, seedSessionPrereqs, userMessage, type TSessionPrereqs } from "@/tests/fixtures/seed";
import { letTimePass } from "@/tests/fixtures/wait";
import { LeaseLostError } from "@/lib/errors";
import { environmentConfigLoader } from "@/lib/harness/tool-network";
import { describeClaimOnWake } from "./claim-on-wake.prisma-suite";
import { holdSessionLock, withFault } from "./session-store.faults";

/** Leases are measured by the database's clock, which cannot be injected: they expire in real time. */
const elapse = (ms: number) => letTimePass(ms, "a lease measured by the database's clock running out");

/** The WorkQueue contract plus what only a real database can show, for one kind of database. */
export function describePrismaWorkQueue(kind: TDatabaseKind) {
  let test: TTestDatabase;
  let queue: PrismaWorkQueue;
  let throughPrisma: PrismaWorkQueue;
  let store: PrismaSessionStore;
  let prereqs: TSessionPrereqs;

  beforeAll(async () => {
    test = await openTestDatabase(kind);
    // as the server runs it (statements on the driver), and through Prisma's client (its fallback)
    queue = new PrismaWorkQueue(test.db.prisma, test.db.sql);
    throughPrisma = new PrismaWorkQueue(test.db.prisma);
    store = new PrismaSessionStore(test.db.prisma, test.db.sql, workQueueAppendHooks);
    prereqs = await seedSessionPrereqs(test.db.prisma);
  });
  afterAll(async () => {
    await test?.cleanup();
  });

  describeWorkQueueContract(`${kind}, on the driver`, async () => {
    await test.db.prisma.sessionWork.deleteMany();
    return { queue, store, newSession: () => createTestSession(store, prereqs), elapse };
  });

  describeWorkQueueContract(`${kind}, through Prisma's client`, async () => {
    await test.db.prisma.sessionWork.deleteMany();
    return { queue: throughPrisma, store, newSession: () => createTestSession(store, prereqs), elapse };
  });

  describeClaimOnWake(kind, () => ({ test, prereqs }));

  describe(`PrismaWorkQueue on ${kind}`, () => {
    it("refuses to queue an unknown session", async () => {
      await expect(queue.enqueue("sesn_unknown")).rejects.toMatchObject({ code: "not_found" });
    });

    it("rolls the wake back with an append whose statement fails", async () => {
      await test.db.prisma.sessionWork.deleteMany();
      const id = await createTestSession(store, prereqs);
      // The append's statement fails at its very end, after the events, the state and the wake.
      const append = withFault(test.db, { table: "SessionAppend", when: `NEW."idempotencyKey" = 'k'`, fault: "fail" }, () =>
        store.appendEvents(id, [userMessage("lost")], { wake: true, idempotencyKey: "k" }),
      );
      await expect(append).rejects.toThrow(/injected failure/);
      expect(await queue.claim("w1", 60_000)).toBeNull();
      expect(await store.getEvents(id)).toEqual([]);
    });

    it("lets no claim take a session over while a fenced append that passed the fence is committing", async () => {
      await test.db.prisma.sessionWork.deleteMany();
      const id = await createTestSession(store, prereqs);
      await queue.enqueue(id);
      const claim = (await queue.claim("w1", 1000))!;
      // An append that passes the fence, then is slow to finish: the lease expires before it commits.
      const stall = claim.leaseExpiresAt.getTime() - Date.now() + 1000;
      const when = `NEW."payload"::text LIKE '%slow but fenced%'`;
      await withFault(test.db, { table: "SessionEvent", when, fault: { sleepMs: stall } }, async () => {
        const append = store.appendEvents(id, [agentMessage("slow but fenced")], { leaseOwner: "w1" });
        // (on PGlite the statement holds the one connection: what follows runs once it has committed)
        await elapse(claim.leaseExpiresAt.getTime() - Date.now() + 200); // past the lease's expiry
        let takeover = null;
        while (!takeover) takeover = await queue.claim("w2", 60_000);
        // whoever takes over reads a log that already holds the fenced append
        expect((await store.getEvents(id)).map((e) => e.body)).toEqual([agentMessage("slow but fenced")]);
        await append;
      });
    });

    it.runIf(kind === "postgres")("refuses a fenced append whose lease changed hands while it waited for the session's lock", async () => {
      await test.db.prisma.sessionWork.deleteMany();
      const id = await createTestSession(store, prereqs);
      await queue.enqueue(id);
      const first = (await queue.claim("w1", 60_000))!;
      // The append's statement starts (its snapshot holds w1's live lease) and waits for the session's row.
      const lock = await holdSessionLock(test.target.kind === "postgres" ? test.target.url : "", id);
      const append = store.appendEvents(id, [agentMessage("from w1")], { leaseOwner: "w1" });
      append.catch(() => {}); // awaited below
      try {
        await lock.waiters(1);
        // Meanwhile w1 hands the lease back and w2 claims it, for a long lease: both commit.
        expect(await queue.abandon(first)).toBe(true);
        const second = (await queue.claim("w2", 60_000))!;
        expect(second.sessionId).toBe(id);
      } finally {
        await lock.release();
      }
      // the fence reads the lease as it is once the session is locked, not as the snapshot had it
      await expect(append).rejects.toBeInstanceOf(LeaseLostError);
      expect(await store.getEvents(id)).toEqual([]);
      expect((await store.getSession(id))?.state.lastSeq).toBe(0);
      expect(await queue.holdsLease(id, "w2")).toBe(true);
    });

    it("hands the claimed session and its log to the claimer, as reads right after the claim would return them", async () => {
      await test.db.prisma.sessionWork.deleteMany();
      const id = await createTestSession(store, prereqs);
      await store.appendEvents(id, [userMessage("héllo 👋"), { type: "session.status_running" }], { wake: true });
      await test.db.prisma.session.update({ where: { id }, data: { title: "titled", archivedAt: new Date("2026-01-02T03:04:05.678Z") } });
      const claim = (await queue.claim("w1", 60_000))!;
      expect(claim.snapshot).toEqual({ session: await store.getSession(id), events: await store.getEvents(id), afterSeq: 0 });
      expect(claim.snapshot?.session).toMatchObject({ title: "titled", archivedAt: "2026-01-02T03:04:05.678Z", state: { status: "running", lastSeq: 2 } });
      // through Prisma's client too
      await queue.release(claim);
      await queue.enqueue(id);
      expect((await throughPrisma.claim("w2", 60_000))?.snapshot).toEqual(claim.snapshot);
    });

    it("brings only the events after the seq the claimer knows the claimed session's log up to (`known`), else the whole log", async () => {
      await test.db.prisma.sessionWork.deleteMany();
      const id = await createTestSession(store, prereqs);
      await store.appendEvents(id, [userMessage("one"), agentMessage("two"), userMessage("three")], { wake: true });
      const all = await store.getEvents(id);
      const session = await store.getSession(id);
      for (const claimer of [queue, throughPrisma]) {
        const claim = (await claimer.claim("w1", 60_000, new Map([["sesn_other", 1], [id, 2]])))!;
        expect(claim.snapshot).toEqual({ session, events: all.slice(2), afterSeq: 2 });
        await claimer.release(claim);
        await queue.enqueue(id);
        // knowing the whole log: nothing more to bring
        const knowsAll = (await claimer.claim("w1", 60_000, new Map([[id, all.length]])))!;
        expect(knowsAll.snapshot).toEqual({ session, events: [], afterSeq: all.length });
        await claimer.release(knowsAll);
        await queue.enqueue(id);
        // knowing other sessions only: the whole log
        const knowsOthers = (await claimer.claim("w1", 60_000, new Map([["sesn_other", 5]])))!;
        expect(knowsOthers.snapshot).toEqual({ session, events: all, afterSeq: 0 });
        await claimer.release(knowsOthers);
        await queue.enqueue(id);
      }
      expect(all.map((e) => e.seq)).toEqual([1, 2, 3]);
    });

    it("hands the claimer the session's environment config as environmentConfigLoader reads it", async () => {
      await test.db.prisma.sessionWork.deleteMany();
      const id = await createTestSession(store, prereqs);
      const limited = { type: "cloud", networking: { type: "limited", allowed_hosts: ["api.example.com"], allow_mcp_servers: false, allow_package_managers: true } };
      await test.db.prisma.environment.update({ where: { id: prereqs.environmentId }, data: { config: limited } });
      await store.appendEvents(id, [userMessage("hi")], { wake: true });
      const claim = (await queue.claim("w1", 60_000))!;
      const loaded = await environmentConfigLoader(test.db.prisma)(prereqs.environmentId);
      expect(loaded).toMatchObject({ type: "cloud", networking: { type: "limited", allowed_hosts: ["api.example.com"] } });
      expect(claim.environment).toEqual({ id: prereqs.environmentId, config: loaded });

      await queue.release(claim);
      await test.db.prisma.environment.update({ where: { id: prereqs.environmentId }, data: { config: { type: "cloud" } } });
    });

    it("runs wakes, enqueues, fenced appends, claims and releases on one session concurrently without deadlock", async () => {
      await test.db.prisma.sessionWork.deleteMany();
      const id = await createTestSession(store, prereqs);
      let usersDone = false;
      const users = Array.from({ length: 4 }, async (_, u) => {
        for (let i = 0; i < 15; i++) {
          await store.appendEvents(id, [userMessage(`${u}:${i}`)], { wake: true });
          await queue.enqueue(id);
        }
      });
      const workers = Array.from({ length: 4 }, async (_, w) => {
        const workerId = `w${w}`;
        while (!usersDone || (await test.db.prisma.sessionWork.count()) > 0) {
          const claim = await queue.claim(workerId, 60_000);
          if (!claim) {
            await letTimePass(2, "a back-off: the others release or requeue what they hold");
            continue;
          }
          await store.appendEvents(id, [agentMessage(`${workerId} ran wake ${claim.wakeCount}`)], { leaseOwner: workerId });
          expect(await queue.renew(claim, 60_000)).toBe(true);
          await queue.release(claim);
        }
      });
      await Promise.all(users);
      usersDone = true;
      await Promise.all(workers);
      const events = await store.getEvents(id, { limit: 10_000 });
      expect(events.map((e) => e.seq)).toEqual(Array.from({ length: events.length }, (_, i) => i + 1));
      expect(events.filter((e) => e.body.type === "user.message")).toHaveLength(60);
      // the last wake was answered: the last event is a worker's
      expect(events.at(-1)?.body.type).toBe("agent.message");
    });
  });
}
