import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { PrismaSessionStore } from "@/lib/event-log/prisma/prisma-session-store";
import { AppendRefusedError, type SessionStore } from "@/lib/event-log/session-store";
import { claimOnWakeHooks, MAX_READ } from "@/lib/harness/claim-on-wake";
import { HarnessWorker } from "@/lib/harness/harness-worker";
import { PrismaWorkQueue, workQueueAppendHooks } from "@/lib/harness/prisma-work-queue";
import { SandboxPool } from "@/lib/harness/sandbox-pool";
import type { TClaim, WorkQueue } from "@/lib/harness/work-queue";
import { ScriptedModelClient, textTurn } from "@/lib/model/scripted-model-client";
import { InMemoryEventBus } from "@/lib/realtime/event-bus";
import { withPublishing } from "@/lib/realtime/publishing-session-store";
import { FakeSandboxProvider } from "@/lib/sandbox/fake";
import type { TTestDatabase } from "@/tests/fixtures/databases";
import { agentMessage, createTestSession, userMessage, type TSessionPrereqs } from "@/tests/fixtures/seed";
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
    let reads: number;

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
      // the worker's reads of the log and the record, counted (a wake the append handed all it needs makes none)
      reads = 0;
      const reading: SessionStore = {
        createSession: (input) => store.createSession(input),
        getSession: (sessionId) => (reads++, store.getSession(sessionId)),
        getEvents: (sessionId, query) => (reads++, store.getEvents(sessionId, query)),
        appendEvents: (sessionId, events, options) => store.appendEvents(sessionId, events, options),
      };
      worker = new HarnessWorker({ store: reading, model, bus, sandboxes: new SandboxPool(new FakeSandboxProvider()) }, counting, { pollMs: 60_000, concurrency: 1 });
      worker.start();
      id = await createTestSession(store, prereqs);
      // the first turn: a new session's log is read whole by the append (it is short)
      const first = await store.appendEvents(id, [userMessage("one")], { wake: true });
      expect(first.claimed).toBe(true);
      await idle();
      expect(counting.claimed).toBe(0);
      expect(reads).toBe(0);
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
      expect(counting.claimed).toBe(0);
      expect(reads).toBe(0);
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
      expect(counting.claimed).toBe(1);
    });

    it("only queues the session when the worker has no room", async () => {
      const busy = worker.reserveClaim(id)!; // the one slot
      const sent = await store.appendEvents(id, [userMessage("two")], { wake: true });
      expect(sent.claimed).toBeUndefined();
      expect(await work()).toMatchObject({ leaseOwner: null, leaseExpiresAt: null });
      busy.cancel();
      worker.notify();
      await idle();
      expect(counting.claimed).toBe(1);
    });

    it("takes a session whose unread gap is longer than it reads, and the wake then reads the log itself", async () => {
      // what the worker has not seen: MAX_READ + 1 events appended by someone else since its last turn
      const gap = Array.from({ length: MAX_READ + 1 }, (_, i) => agentMessage(`elsewhere ${i}`));
      await store.appendEvents(id, gap);
      const sent = await store.appendEvents(id, [userMessage("two")], { wake: true });
      expect(sent.claimed).toBe(true);
      await idle();
      expect(counting.claimed).toBe(0);
      expect(reads).toBeGreaterThan(0);
      const asked = JSON.stringify(model.calls[1]!.request.messages);
      expect(asked).toContain("one");
      expect(asked).toContain(`elsewhere ${MAX_READ}`);
      expect(asked).toContain("two");
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
