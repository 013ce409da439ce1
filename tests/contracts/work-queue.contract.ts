import { describe, expect, it } from "vitest";
import { AppError, LeaseLostError } from "@/lib/errors";
import type { TClaim, WorkQueue } from "@/lib/harness/work-queue";
import type { SessionStore } from "@/lib/event-log/session-store";
import { agentMessage, userMessage } from "@/tests/fixtures/seed";
import { letTimePass } from "@/tests/fixtures/wait";

/**
 * The behaviour every WorkQueue must have, with the session store whose `wake` and `leaseOwner`
 * act on it. Run against the in-memory pair (unit), PGlite and PostgreSQL (integration). Each
 * `harness()` starts from an empty queue. `elapse(ms)` lets the queue's clock move on: the injected
 * clock in memory, real waiting on a database (whose clock is the one leases are measured by).
 */
export type TWorkQueueHarness = {
  queue: WorkQueue;
  store: SessionStore;
  newSession(): Promise<string>;
  elapse(ms: number): Promise<void>;
};

const SHORT = 200; // a lease the tests let expire
const AFTER_SHORT = 400;
const LONG = 60_000; // a lease that does not expire during a test

export function describeWorkQueueContract(name: string, harness: () => Promise<TWorkQueueHarness>) {
  describe(`WorkQueue contract: ${name}`, () => {
    it("hands a queued session to one claimer, with a lease measured by the queue's clock", async () => {
      const { queue, newSession } = await harness();
      const id = await newSession();
      expect(await queue.claim("w1", LONG)).toBeNull();
      await queue.enqueue(id);
      const before = Date.now();
      const claim = await queue.claim("w1", LONG);
      expect(claim).toMatchObject({ sessionId: id, workerId: "w1", wakeCount: 1 });
      expect(claim!.leaseExpiresAt.getTime()).toBeGreaterThanOrEqual(before + LONG - 1000);
      expect(claim!.leaseExpiresAt.getTime()).toBeLessThanOrEqual(Date.now() + LONG + 1000);
      expect(await queue.claim("w2", LONG)).toBeNull();
      expect(await queue.holdsLease(id, "w1")).toBe(true);
      expect(await queue.holdsLease(id, "w2")).toBe(false);
    });

    it("counts repeated wakes without queueing the session twice", async () => {
      const { queue, newSession } = await harness();
      const id = await newSession();
      await queue.enqueue(id);
      await queue.enqueue(id);
      expect((await queue.claim("w1", LONG))?.wakeCount).toBe(2);
      expect(await queue.claim("w2", LONG)).toBeNull();
    });

    it("tells a claimer whether other sessions were free to claim", async () => {
      const { queue, newSession, elapse } = await harness();
      const [a, b] = [await newSession(), await newSession()];
      await queue.enqueue(a);
      await elapse(10);
      await queue.enqueue(b);
      expect(await queue.claim("w1", SHORT)).toMatchObject({ sessionId: a, more: true });
      expect(await queue.claim("w2", LONG)).toMatchObject({ sessionId: b, more: false }); // a is held
      await elapse(AFTER_SHORT);
      expect(await queue.claim("w3", LONG)).toMatchObject({ sessionId: a, more: false }); // b is held
    });

    it("hands out sessions oldest first", async () => {
      const { queue, newSession, elapse } = await harness();
      const [a, b] = [await newSession(), await newSession()];
      await queue.enqueue(b);
      await elapse(10);
      await queue.enqueue(a);
      expect((await queue.claim("w1", LONG))?.sessionId).toBe(b);
      expect((await queue.claim("w1", LONG))?.sessionId).toBe(a);
    });

    it("lets another worker take a session over once its lease has expired", async () => {
      const { queue, newSession, elapse } = await harness();
      const id = await newSession();
      await queue.enqueue(id);
      const first = await queue.claim("w1", SHORT);
      expect(first?.sessionId).toBe(id);
      await elapse(AFTER_SHORT);
      expect(await queue.holdsLease(id, "w1")).toBe(false);
      const second = await queue.claim("w2", LONG);
      expect(second).toMatchObject({ sessionId: id, workerId: "w2", wakeCount: 1 });
      expect(await queue.holdsLease(id, "w2")).toBe(true);
    });

    it("renews a live lease, and refuses once it has expired or been taken over", async () => {
      const { queue, newSession, elapse } = await harness();
      const id = await newSession();
      await queue.enqueue(id);
      const claim = (await queue.claim("w1", SHORT))!;
      expect(await queue.renew(claim, LONG)).toBe(true);
      await elapse(AFTER_SHORT);
      expect(await queue.holdsLease(id, "w1")).toBe(true);
      expect(await queue.claim("w2", LONG)).toBeNull();

      expect(await queue.renew(claim, SHORT)).toBe(true);
      await elapse(AFTER_SHORT);
      expect(await queue.renew(claim, LONG)).toBe(false); // expired, even though nobody took it
      const takeover = (await queue.claim("w2", LONG))!;
      expect(takeover.sessionId).toBe(id);
      expect(await queue.renew(claim, LONG)).toBe(false);
      expect(await queue.holdsLease(id, "w1")).toBe(false);
      expect(await queue.renew(takeover, LONG)).toBe(true);
    });

    it("removes a released session from the queue", async () => {
      const { queue, newSession } = await harness();
      const id = await newSession();
      await queue.enqueue(id);
      const claim = (await queue.claim("w1", LONG))!;
      expect(await queue.release(claim)).toBe(false); // not queued any more
      expect(await queue.holdsLease(id, "w1")).toBe(false);
      expect(await queue.claim("w2", LONG)).toBeNull();
      expect(await queue.release(claim)).toBe(false); // a second release is harmless
      expect(await queue.claim("w2", LONG)).toBeNull();
    });

    it("keeps a session queued when it was woken between claim and release", async () => {
      const { queue, newSession } = await harness();
      const id = await newSession();
      await queue.enqueue(id);
      const claim = (await queue.claim("w1", LONG))!;
      await queue.enqueue(id);
      expect(await queue.release(claim)).toBe(true); // still queued: the worker looks again
      expect(await queue.holdsLease(id, "w1")).toBe(false);
      const next = await queue.claim("w2", LONG);
      expect(next).toMatchObject({ sessionId: id, wakeCount: 2 });
      await queue.release(next!);
      expect(await queue.claim("w2", LONG)).toBeNull();
    });

    it("leaves a session queued when its lease expired before the release, and lets a stale release change nothing", async () => {
      const { queue, newSession, elapse } = await harness();
      const id = await newSession();
      await queue.enqueue(id);
      const stale = (await queue.claim("w1", SHORT))!;
      await elapse(AFTER_SHORT);
      expect(await queue.release(stale)).toBe(true); // too late: the work may not be done, someone must look again
      const current = (await queue.claim("w2", SHORT))!;
      expect(current.sessionId).toBe(id);
      expect(await queue.release(stale)).toBe(false); // w1 no longer holds it: w2's lease is untouched
      expect(await queue.holdsLease(id, "w2")).toBe(true);
    });

    it("hands an abandoned lease back at once, keeping the session queued ahead of later work", async () => {
      const { queue, newSession, elapse } = await harness();
      const [id, later] = [await newSession(), await newSession()];
      await queue.enqueue(id);
      await elapse(10);
      await queue.enqueue(later);
      const claim = (await queue.claim("w1", LONG))!;
      expect(claim.sessionId).toBe(id);
      expect(await queue.abandon(claim)).toBe(true);
      expect(await queue.holdsLease(id, "w1")).toBe(false);
      // claimable now, not in LONG ms, and first: it was queued before `later`
      const next = await queue.claim("w2", LONG);
      expect(next).toMatchObject({ sessionId: id, wakeCount: 1 });
      expect(await queue.abandon(claim)).toBe(false); // fenced: w1 no longer holds it
      expect(await queue.holdsLease(id, "w2")).toBe(true);
    });

    it("lets an abandon after the lease expired change nothing", async () => {
      const { queue, newSession, elapse } = await harness();
      const id = await newSession();
      await queue.enqueue(id);
      const stale = (await queue.claim("w1", SHORT))!;
      await elapse(AFTER_SHORT);
      const current = (await queue.claim("w2", LONG))!;
      expect(await queue.abandon(stale)).toBe(false);
      expect(await queue.holdsLease(id, "w2")).toBe(true);
      await queue.release(current);
      expect(await queue.claim("w3", LONG)).toBeNull();
    });

    it("gives each of 20 sessions to one of 8 concurrent claimers at a time, and processes every wake", async () => {
      const { queue, newSession } = await harness();
      const ids = await Promise.all(Array.from({ length: 20 }, () => newSession()));
      for (const id of ids) await queue.enqueue(id);
      const holding = new Set<string>(); // sessions between a claim's return and its release call
      const overlaps: string[] = []; // claims that overlapped another claim of the same session
      const runs = new Map<string, number>();
      const deadline = Date.now() + 60_000;

      const claimer = async (workerId: string) => {
        while (Date.now() < deadline) {
          const claim = await queue.claim(workerId, LONG);
          if (!claim) {
            if (holding.size === 0) return; // nothing queued and nothing running: a releaser claims what it requeues
            await letTimePass(2, "a back-off: another claimer will release or requeue what it holds");
            continue;
          }
          if (holding.has(claim.sessionId)) overlaps.push(`${claim.sessionId} claimed by ${workerId} while held`);
          holding.add(claim.sessionId);
          if (!(await queue.holdsLease(claim.sessionId, workerId))) overlaps.push(`${workerId} lost ${claim.sessionId} while running`);
          const run = (runs.get(claim.sessionId) ?? 0) + 1;
          runs.set(claim.sessionId, run);
          if (run === 1) await queue.enqueue(claim.sessionId); // woken again while it runs
          await letTimePass(Math.random() * 4, "the claim is held a while, so that claimers interleave");
          holding.delete(claim.sessionId);
          await queue.release(claim);
        }
      };
      await Promise.all(Array.from({ length: 8 }, (_, w) => claimer(`w${w}`)));

      expect(overlaps).toEqual([]);
      expect(ids.map((id) => runs.get(id))).toEqual(ids.map(() => 2));
      expect(await queue.claim("w0", LONG)).toBeNull();
    });

    it("queues the session in the same step as an append with wake, and only for an append that happened", async () => {
      const { queue, store, newSession } = await harness();
      const id = await newSession();
      await store.appendEvents(id, [userMessage("no wake")]);
      expect(await queue.claim("w1", LONG)).toBeNull();

      await expectAppError(store.appendEvents(id, [{ type: "agent.explode" }], { wake: true }), "invalid_request");
      await expectAppError(store.appendEvents("sesn_unknown", [userMessage("x")], { wake: true }), "not_found");
      expect(await queue.claim("w1", LONG)).toBeNull();

      await store.appendEvents(id, [userMessage("hello")], { wake: true, idempotencyKey: "msg-1" });
      const claim = (await queue.claim("w1", LONG))!;
      expect(claim).toMatchObject({ sessionId: id, wakeCount: 1 });
      const retry = await store.appendEvents(id, [userMessage("hello")], { wake: true, idempotencyKey: "msg-1" });
      expect(retry.duplicate).toBe(true);
      await queue.release(claim); // the duplicate did not wake it: it leaves the queue
      expect(await queue.claim("w1", LONG)).toBeNull();
      expect((await store.getEvents(id)).map((e) => e.seq)).toEqual([1, 2]);
    });

    it("refuses the append of a worker whose lease was taken over, and writes nothing", async () => {
      const { queue, store, newSession, elapse } = await harness();
      const id = await newSession();
      await expectLeaseLost(store.appendEvents(id, [agentMessage("never claimed")], { leaseOwner: "w1" }));

      await store.appendEvents(id, [userMessage("go")], { wake: true });
      const stale: TClaim = (await queue.claim("w1", SHORT))!;
      await store.appendEvents(id, [agentMessage("while live")], { leaseOwner: "w1" });
      await elapse(AFTER_SHORT);
      await expectLeaseLost(store.appendEvents(id, [agentMessage("expired")], { leaseOwner: "w1" }));
      const current = (await queue.claim("w2", LONG))!;
      expect(current.sessionId).toBe(id);
      await expectLeaseLost(store.appendEvents(id, [agentMessage("stale")], { leaseOwner: stale.workerId, wake: true }));
      await store.appendEvents(id, [agentMessage("current")], { leaseOwner: "w2" });
      await queue.release(current); // the refused append did not wake the session either
      expect(await queue.claim("w3", LONG)).toBeNull();

      const events = await store.getEvents(id);
      expect(events.map((e) => e.body)).toEqual([userMessage("go"), agentMessage("while live"), agentMessage("current")]);
      expect((await store.getSession(id))?.state.lastSeq).toBe(3);
    });
  });
}

async function expectAppError(promise: Promise<unknown>, code: string): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  expect((error as AppError).code).toBe(code);
  return error as AppError;
}

async function expectLeaseLost(promise: Promise<unknown>): Promise<void> {
  const error = await expectAppError(promise, "conflict");
  expect(error).toBeInstanceOf(LeaseLostError);
  expect(error.details).toEqual({ reason: "lease_lost" });
}
