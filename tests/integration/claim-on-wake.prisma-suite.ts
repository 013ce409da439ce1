import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { PrismaSessionStore } from "@/lib/event-log/prisma/prisma-session-store";
import { AppendRefusedError, type SessionStore } from "@/lib/event-log/session-store";
import { claimOnWakeHooks } from "@/lib/harness/claim-on-wake";
import { HarnessWorker } from "@/lib/harness/harness-worker";
import { PrismaWorkQueue, workQueueAppendHooks } from "@/lib/harness/prisma-work-queue";
import { SandboxPool } from "@/lib/harness/sandbox-pool";
import type { TClaim, WorkQueue } from "@/lib/harness/work-queue";
import { ScriptedModelClient, textTurn } from "@/lib/model/scripted-model-client";
import { InMemoryEventBus } from "@/lib/realtime/event-bus";
import { withPublishing } from "@/lib/realtime/publishing-session-store";
import { FakeSandboxProvider } from "@/lib/sandbox/fake";
import type { TTestDatabase } from "@/tests/fixtures/databases";
import { createTestSession, userMessage, type TSessionPrereqs } from "@/tests/fixtures/seed";
import { until } from "@/tests/fixtures/wait";

/** The queue, counting the claims of its own that found a session (claim-on-wake's need none). */
class CountingQueue implements WorkQueue {
  claimed = 0;
  constructor(private readonly inner: WorkQueue) {}
  enqueue = (id: string) => this.inner.enqueue(id);
  async claim(workerId: string, leaseMs: number, known?: ReadonlyMap<string, number>) {
    const claim = await this.inner.claim(workerId, leaseMs, known);
    if (claim) this.claimed += 1;
    return claim;
  }
  renew = (claim: TClaim, leaseMs: number) => this.inner.renew(claim, leaseMs);
  release = (claim: TClaim) => this.inner.release(claim);
  abandon = (claim: TClaim) => this.inner.abandon(claim);
  holdsLease = (id: string, workerId: string) => this.inner.holdsLease(id, workerId);
}

/**
 * lib/harness/claim-on-wake.ts on a real database: the append that wakes a session takes its lease
 * for this process's worker, as the server composes them (`createHarness`).
 */
export function describeClaimOnWake(kind: string, get: () => { test: TTestDatabase; prereqs: TSessionPrereqs }) {
  describe(`claim in the waking append, ${kind}`, () => {
    let queue: PrismaWorkQueue;
    let counting: CountingQueue;
    let model: ScriptedModelClient;
    let worker: HarnessWorker;
    let store: SessionStore;
    let id: string;

    const idle = async () => {
      await until("the session to go idle and leave the queue", async () => {
        const last = (await store.getEvents(id, { order: "desc", limit: 1 }))[0];
        return last?.body.type === "session.status_idle" && (await get().test.db.prisma.sessionWork.count({ where: { sessionId: id } })) === 0;
      });
    };
    const work = () => get().test.db.prisma.sessionWork.findUnique({ where: { sessionId: id } });

    beforeEach(async () => {
      const { test, prereqs } = get();
      await test.db.prisma.sessionWork.deleteMany();
      queue = new PrismaWorkQueue(test.db.prisma, test.db.sql);
      counting = new CountingQueue(queue);
      model = new ScriptedModelClient((_, i) => textTurn(`answer ${i}`));
      const bus = new InMemoryEventBus();
      store = withPublishing(new PrismaSessionStore(test.db.prisma, test.db.sql, claimOnWakeHooks(workQueueAppendHooks, () => worker)), bus);
      worker = new HarnessWorker({ store, model, bus, sandboxes: new SandboxPool(new FakeSandboxProvider()) }, counting, { pollMs: 60_000, concurrency: 1 });
      worker.start();
      id = await createTestSession(store, prereqs);
      // the first turn: the worker does not hold the log yet, so the append only queues the session
      const first = await store.appendEvents(id, [userMessage("one")], { wake: true });
      expect(first.claimed).toBeUndefined();
      worker.notify();
      await idle();
      expect(counting.claimed).toBe(1);
    });
    afterEach(async () => {
      await worker.stop();
    });

    it("takes the session for the worker that holds its log: no claim of its own, the whole conversation to the model", async () => {
      const second = await store.appendEvents(id, [userMessage("two")], { wake: true });
      expect(second.claimed).toBe(true);
      expect(second.events.map((e) => e.body)).toEqual([userMessage("two")]);
      expect(second.read).toBeUndefined(); // read for the worker, not asked for by this caller
      await idle();
      expect(counting.claimed).toBe(1);
      expect(model.calls).toHaveLength(2);
      const asked = JSON.stringify(model.calls[1]!.request.messages);
      expect(asked).toContain("one");
      expect(asked).toContain("answer 0");
      expect(asked).toContain("two");
      const types = (await store.getEvents(id)).map((e) => e.body.type);
      expect(types.filter((t) => t === "agent.message")).toHaveLength(2);
      expect(types.at(-1)).toBe("session.status_idle");
    });

    it("leaves a live lease as it is: the session is queued for its holder, which goes on", async () => {
      await queue.enqueue(id);
      const other = (await queue.claim("elsewhere", 60_000))!;
      expect(other.sessionId).toBe(id);
      const sent = await store.appendEvents(id, [userMessage("two")], { wake: true });
      expect(sent.claimed).toBe(false);
      expect(await work()).toMatchObject({ leaseOwner: "elsewhere", wakeCount: other.wakeCount + 1 });
      // the offer's slot was given back: the worker (room for one) could take a session again
      const slot = worker.reserveClaim(id);
      expect(slot).not.toBeNull();
      slot!.cancel();
      // the holder ends without answering; the wake it did not see keeps the session queued for the worker
      await queue.release(other);
      expect(await work()).toMatchObject({ leaseOwner: null });
      worker.notify();
      await idle();
      expect(model.calls).toHaveLength(2);
      expect(counting.claimed).toBe(2);
    });

    it("only queues the session when the worker has no room", async () => {
      const busy = worker.reserveClaim(id)!; // the one slot
      const sent = await store.appendEvents(id, [userMessage("two")], { wake: true });
      expect(sent.claimed).toBeUndefined();
      expect(await work()).toMatchObject({ leaseOwner: null, leaseExpiresAt: null });
      busy.cancel();
      worker.notify();
      await idle();
      expect(counting.claimed).toBe(2);
    });

    it("gives the slot back when the append is refused, and writes nothing", async () => {
      await expect(store.appendEvents(id, [userMessage("two")], { wake: true, ifOpen: { teamId: "team_other" } })).rejects.toBeInstanceOf(AppendRefusedError);
      expect(await work()).toBeNull();
      const slot = worker.reserveClaim(id);
      expect(slot).not.toBeNull();
      slot!.cancel();
      expect((await store.getEvents(id)).map((e) => e.body)).not.toContainEqual(userMessage("two"));
    });
  });
}
