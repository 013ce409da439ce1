import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PrismaWorkQueue, workQueueAppendHooks } from "@/lib/harness/prisma-work-queue";
import { PrismaSessionStore } from "@/lib/event-log/prisma/prisma-session-store";
import { describeWorkQueueContract } from "@/tests/contracts/work-queue.contract";
import { failAt, interceptSql } from "@/tests/fixtures/direct-sql";
import { openTestDatabase, type TDatabaseKind, type TTestDatabase } from "@/tests/fixtures/databases";
import { agentMessage, createTestSession, seedSessionPrereqs, userMessage, type TSessionPrereqs } from "@/tests/fixtures/seed";
import { letTimePass } from "@/tests/fixtures/wait";

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

  describe(`PrismaWorkQueue on ${kind}`, () => {
    it("refuses to queue an unknown session", async () => {
      await expect(queue.enqueue("sesn_unknown")).rejects.toMatchObject({ code: "not_found" });
    });

    it("rolls the wake back with an append whose transaction fails", async () => {
      await test.db.prisma.sessionWork.deleteMany();
      const id = await createTestSession(store, prereqs);
      // The idempotency record is the append's last write, after the events, the state and the wake.
      const failing = failAt(test.db.sql, 'INSERT INTO "SessionAppend"');
      const append = new PrismaSessionStore(test.db.prisma, failing, workQueueAppendHooks).appendEvents(id, [userMessage("lost")], { wake: true, idempotencyKey: "k" });
      await expect(append).rejects.toThrow(/injected failure/);
      expect(await queue.claim("w1", 60_000)).toBeNull();
      expect(await store.getEvents(id)).toEqual([]);
    });

    it("lets no claim take a session over while a fenced append that passed the fence is committing", async () => {
      await test.db.prisma.sessionWork.deleteMany();
      const id = await createTestSession(store, prereqs);
      await queue.enqueue(id);
      const claim = (await queue.claim("w1", 1000))!;
      let entered!: () => void;
      const fencePassed = new Promise<void>((resolve) => (entered = resolve));
      // An append that passes the fence, then is slow to write: the lease expires mid-transaction.
      const slow = interceptSql(test.db.sql, 'INSERT INTO "SessionEvent"', async () => {
        entered();
        await letTimePass(claim.leaseExpiresAt.getTime() - Date.now() + 1000, "the transaction outlives the lease by a second, while claims contend");
      });
      const append = new PrismaSessionStore(test.db.prisma, slow, workQueueAppendHooks).appendEvents(id, [agentMessage("slow but fenced")], { leaseOwner: "w1" });
      await fencePassed;
      await elapse(claim.leaseExpiresAt.getTime() - Date.now() + 200); // past the lease's expiry
      let takeover = null;
      while (!takeover) takeover = await queue.claim("w2", 60_000);
      // whoever takes over reads a log that already holds the fenced append
      expect((await store.getEvents(id)).map((e) => e.body)).toEqual([agentMessage("slow but fenced")]);
      await append;
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
