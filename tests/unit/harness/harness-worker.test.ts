import { describe, expect, it } from "vitest";
import { HarnessWorker } from "@/lib/harness/harness-worker";
import { InMemoryWorkQueue } from "@/lib/harness/in-memory-work-queue";
import { SandboxPool } from "@/lib/harness/sandbox-pool";
import { LOG_PAGE, type THarnessDeps } from "@/lib/harness/wake-context";
import type { TClaim } from "@/lib/harness/work-queue";
import { ScriptedModelClient, textTurn, type TScriptedTurn } from "@/lib/model/scripted-model-client";
import type { ModelClient } from "@/lib/model/types";
import { FakeSandboxProvider } from "@/lib/sandbox/fake";
import { InMemorySessionStore } from "@/lib/event-log/in-memory-session-store";
import type { SessionStore } from "@/lib/event-log/session-store";
import { IN_MEMORY_PREREQS, newSessionInput } from "@/tests/fixtures/seed";
import { observeFor, until } from "@/tests/fixtures/wait";
import { userMessage } from "./harness-fixture";

function setup(script: TScriptedTurn[] | ((call: number) => TScriptedTurn)) {
  const queue = new InMemoryWorkQueue();
  const store = new InMemorySessionStore({ workQueue: queue });
  const model = new ScriptedModelClient(typeof script === "function" ? (_request, call) => script(call) : script);
  const deps: THarnessDeps = { store, model, sandboxes: new SandboxPool(new FakeSandboxProvider()), interruptPollMs: 20 };
  const snapshot = { model: { id: "m" }, system: null, tools: [] };
  const newSession = async () => (await store.createSession(newSessionInput(IN_MEMORY_PREREQS, { agentSnapshot: snapshot }))).id;
  return { queue, store, model, deps, newSession };
}

/** A queue whose claims can be held after they have looked (as a slow database round trip would be). */
class HeldClaimQueue extends InMemoryWorkQueue {
  hold: { entered: () => void; release: Promise<void> } | undefined;

  override async claim(workerId: string, leaseMs: number): Promise<TClaim | null> {
    const claimed = await super.claim(workerId, leaseMs);
    const hold = this.hold;
    this.hold = undefined;
    if (hold) {
      hold.entered();
      await hold.release;
    }
    return claimed;
  }
}

/**
 * A worker on a queue that claims as `PrismaWorkQueue` does, honouring `known`: its snapshot is one
 * page (LOG_PAGE events) after the seq the worker knows the session's log up to (`claims` notes
 * each); the worker's reads of the store are noted in `reads`; one session, not yet woken.
 */
async function knownWorker() {
  const claims: Array<{ known: Array<[string, number]>; afterSeq: number; brought: number }> = [];
  const reads: string[] = [];
  class KnownQueue extends InMemoryWorkQueue {
    override async claim(workerId: string, leaseMs: number, known?: ReadonlyMap<string, number>): Promise<TClaim | null> {
      const claimed = await super.claim(workerId, leaseMs);
      if (!claimed) return null;
      const afterSeq = known?.get(claimed.sessionId) ?? 0;
      const events = await inner.getEvents(claimed.sessionId, { afterSeq, limit: LOG_PAGE });
      claims.push({ known: [...(known ?? [])], afterSeq, brought: events.length });
      return { ...claimed, snapshot: { session: (await inner.getSession(claimed.sessionId))!, events, afterSeq } };
    }
  }
  const queue = new KnownQueue();
  const inner = new InMemorySessionStore({ workQueue: queue });
  const model = new ScriptedModelClient((_request, call) => textTurn(`answer ${call + 1}`));
  const deps: THarnessDeps = { store: readsNoted(inner, reads), model, sandboxes: new SandboxPool(new FakeSandboxProvider()), interruptPollMs: 60_000 };
  const worker = new HarnessWorker(deps, queue, { pollMs: 60_000, leaseMs: 1_000 });
  const id = (await inner.createSession(newSessionInput(IN_MEMORY_PREREQS, { agentSnapshot: { model: { id: "m" }, system: null, tools: [] } }))).id;
  return { claims, reads, inner, model, worker, id };
}

/** `inner`, with each read of a session or of its log noted in `reads`. */
function readsNoted(inner: SessionStore, reads: string[]): SessionStore {
  return {
    createSession: (input) => inner.createSession(input),
    getSession: (id) => (reads.push("session"), inner.getSession(id)),
    appendEvents: (id, events, options) => inner.appendEvents(id, events, options),
    getEvents: (id, query) => (reads.push(`events after ${query?.afterSeq ?? 0}`), inner.getEvents(id, query)),
  };
}

const idle = async (store: InMemorySessionStore, id: string) => {
  const s = await store.getSession(id);
  return s?.state.status === "idle" && s.state.lastSeq > 1;
};

describe("HarnessWorker", () => {
  it("takes woken sessions from the queue, drives them to idle and releases them", async () => {
    const { queue, store, deps, newSession } = setup((call) => textTurn(`answer ${call}`));
    const worker = new HarnessWorker(deps, queue, { pollMs: 10, leaseMs: 1_000 });
    worker.start();
    const ids = await Promise.all([newSession(), newSession(), newSession()]);
    for (const id of ids) await store.appendEvents(id, [userMessage("hi")], { wake: true });
    worker.notify();
    for (const id of ids) await until(`session ${id} to go idle`, () => idle(store, id), { intervalMs: 5 });
    await until("the worker to have no active session", () => worker.activeSessions === 0, { intervalMs: 5 });
    expect(await queue.claim("someone-else", 1_000)).toBeNull(); // all released
    await worker.stop();
  });

  it("looks for more work right after a claim only when the claim saw some, and hands the wake the claim's snapshot", async () => {
    const claims: Array<{ found: boolean; more: boolean | undefined; sessionIdle: boolean }> = [];
    const reads: string[] = [];
    let id = "";
    /** A queue that notes its claims, and gives each a snapshot of the session as `PrismaWorkQueue`'s claim does. */
    class SnapshotQueue extends InMemoryWorkQueue {
      override async claim(workerId: string, leaseMs: number): Promise<TClaim | null> {
        const claimed = await super.claim(workerId, leaseMs);
        claims.push({ found: claimed !== null, more: claimed?.more, sessionIdle: id !== "" && (await idle(inner, id)) });
        if (!claimed) return null;
        return { ...claimed, snapshot: { session: (await inner.getSession(claimed.sessionId))!, events: await inner.getEvents(claimed.sessionId) } };
      }
    }
    const queue = new SnapshotQueue();
    const inner = new InMemorySessionStore({ workQueue: queue });
    const store = readsNoted(inner, reads);
    const model = new ScriptedModelClient(() => textTurn("answer"));
    const deps: THarnessDeps = { store, model, sandboxes: new SandboxPool(new FakeSandboxProvider()), interruptPollMs: 60_000 };
    const worker = new HarnessWorker(deps, queue, { pollMs: 60_000, leaseMs: 1_000 });
    worker.start();
    await until("the worker's first look, which finds nothing", () => claims.length === 1, { intervalMs: 5 });
    id = (await inner.createSession(newSessionInput(IN_MEMORY_PREREQS, { agentSnapshot: { model: { id: "m" }, system: null, tools: [] } }))).id;
    await inner.appendEvents(id, [userMessage("hi")], { wake: true });
    worker.notify();
    await until(`session ${id} to go idle`, () => idle(inner, id), { intervalMs: 5 });
    await until("the wake to end and its session to be released", () => worker.activeSessions === 0, { intervalMs: 5 });
    // the claim saw nothing else queued: no look while the wake ran, nor after it ended (the
    // session left the queue, and a worker with room is told of new work: it has missed nothing)
    await observeFor(100, "no look for work after the wake ended");
    expect(claims).toEqual([
      { found: false, more: undefined, sessionIdle: false },
      { found: true, more: false, sessionIdle: false },
    ]);
    // the wake read nothing: the claim had the session and the log, and the watch for an
    // interrupt during the model call starts caught up (its poll, every minute here, never came)
    expect(reads).toEqual([]);
    await store.getEvents(id, { afterSeq: 1 });
    expect(reads).toEqual(["events after 1"]); // (reads are counted)
    await worker.stop();
  });

  it("looks again at once when the session it releases is still queued (woken after the wake's last look)", async () => {
    let claims = 0;
    let woken = false;
    /** A queue where a wake arrives just before the first release: the session stays queued. */
    class LateWakeQueue extends InMemoryWorkQueue {
      override async claim(workerId: string, leaseMs: number): Promise<TClaim | null> {
        const claimed = await super.claim(workerId, leaseMs);
        if (claimed) claims += 1;
        return claimed;
      }
      override async release(claim: TClaim): Promise<boolean> {
        if (!woken) {
          woken = true;
          await this.enqueue(claim.sessionId);
        }
        return super.release(claim);
      }
    }
    const queue = new LateWakeQueue();
    const store = new InMemorySessionStore({ workQueue: queue });
    const deps: THarnessDeps = { store, model: new ScriptedModelClient(() => textTurn("answer")), sandboxes: new SandboxPool(new FakeSandboxProvider()), interruptPollMs: 60_000 };
    const worker = new HarnessWorker(deps, queue, { pollMs: 60_000, leaseMs: 1_000 }); // no poll within the test
    worker.start();
    const { id } = await store.createSession(newSessionInput(IN_MEMORY_PREREQS, { agentSnapshot: { model: { id: "m" }, system: null, tools: [] } }));
    await store.appendEvents(id, [userMessage("hi")], { wake: true });
    worker.notify();
    await until("the session, still queued after its release, to be claimed again", () => claims === 2, { intervalMs: 5 });
    await until("the second wake to end", () => worker.activeSessions === 0, { intervalMs: 5 });
    expect(await queue.claim("w2", 1_000)).toBeNull(); // released for good this time
    await worker.stop();
  });

  it("keeps the log of a session it drove, so that the session's next claim brings only what is new, and the model still gets all of it", async () => {
    const { claims, reads, inner, model, worker, id } = await knownWorker();
    worker.start();
    const lastSeqs: number[] = [];
    for (const text of ["one", "two"]) {
      const before = (await inner.getSession(id))!.state.lastSeq;
      lastSeqs.push(before);
      await inner.appendEvents(id, [userMessage(text)], { wake: true });
      worker.notify();
      await until(`session ${id} to answer "${text}"`, async () => (await idle(inner, id)) && (await inner.getSession(id))!.state.lastSeq > before + 1, { intervalMs: 5 });
    }
    await until("the worker to have no active session", () => worker.activeSessions === 0, { intervalMs: 5 });
    const afterFirst = lastSeqs[1]!; // the log as the first turn left it
    expect(afterFirst).toBeGreaterThan(lastSeqs[0]! + 1);
    expect(claims).toEqual([
      { known: [], afterSeq: 0, brought: lastSeqs[0]! + 1 }, // the whole log
      { known: [[id, afterFirst]], afterSeq: afterFirst, brought: 1 }, // only the new message
    ]);
    expect(reads).toEqual([]); // neither wake read the log: the second one had it from the cache and the claim
    const second = model.calls[1]!.request.messages.map((m) => ({ role: m.role, text: JSON.stringify(m.content) }));
    expect(second.map((m) => m.role)).toEqual(["user", "assistant", "user"]);
    expect(second.map((m) => m.text).join(" ")).toMatch(/one.*answer 1.*two/);
    await worker.stop();
  });

  it("takes a session longer than one page as whole when the claim's page, after the log it kept, reached the end: the wake reads nothing", async () => {
    const { reads, inner, model, worker, id } = await knownWorker();
    // a log longer than one page before the first message
    for (let i = 0; i <= LOG_PAGE; i += 1000) await inner.appendEvents(id, Array.from({ length: 1000 }, (_, j) => userMessage(`earlier ${i + j}`)));
    worker.start();
    for (const text of ["one", "two"]) {
      const before = (await inner.getSession(id))!.state.lastSeq;
      reads.length = 0;
      await inner.appendEvents(id, [userMessage(text)], { wake: true });
      worker.notify();
      await until(`session ${id} to answer "${text}"`, async () => (await idle(inner, id)) && (await inner.getSession(id))!.state.lastSeq > before + 1, { intervalMs: 5 });
      await until("the worker to have no active session", () => worker.activeSessions === 0, { intervalMs: 5 });
      // the first claim's page was full: the wake read on after it; the second brought one event after the kept log
      expect(reads).toEqual(text === "one" ? [`events after ${LOG_PAGE}`] : []);
    }
    expect(JSON.stringify(model.calls[1]!.request.messages)).toContain("earlier 0");
    await worker.stop();
  });

  it("looks again at once when notified while a claim was under way, instead of waiting for the next poll", async () => {
    const queue = new HeldClaimQueue();
    const store = new InMemorySessionStore({ workQueue: queue });
    const deps: THarnessDeps = { store, model: new ScriptedModelClient([textTurn("answer")]), sandboxes: new SandboxPool(new FakeSandboxProvider()) };
    const id = (await store.createSession(newSessionInput(IN_MEMORY_PREREQS, { agentSnapshot: { model: { id: "m" }, system: null, tools: [] } }))).id;
    const worker = new HarnessWorker(deps, queue, { pollMs: 60_000, leaseMs: 1_000 }); // only a notify can wake it in time
    let entered!: () => void;
    const claiming = new Promise<void>((resolve) => (entered = resolve));
    let release!: () => void;
    queue.hold = { entered, release: new Promise<void>((resolve) => (release = resolve)) };
    worker.start();
    await claiming; // the worker's claim found the queue empty and has not returned yet
    await store.appendEvents(id, [userMessage("hi")], { wake: true });
    worker.notify(); // arrives while that claim is under way
    release();
    await until(`session ${id} to go idle`, () => idle(store, id), { intervalMs: 5 });
    await worker.stop();
  });

  it("drives a session again when it was woken while being driven", async () => {
    const { queue, store, model, deps, newSession } = setup([{ ...textTurn("first"), firstTokenDelayMs: 80 }, textTurn("second")]);
    const worker = new HarnessWorker(deps, queue, { pollMs: 10, leaseMs: 1_000 });
    worker.start();
    const id = await newSession();
    await store.appendEvents(id, [userMessage("one")], { wake: true });
    await until("the first model call", () => model.calls.length === 1, { intervalMs: 5 });
    await until("the session to be running", async () => (await store.getSession(id))?.state.status === "running", { intervalMs: 5 });
    // woken while the first turn streams: the same wake picks it up, or the queue hands it back
    await store.appendEvents(id, [userMessage("two")], { wake: true });
    await until("the second model call", () => model.calls.length === 2, { intervalMs: 5 });
    await until("the session to go idle", () => idle(store, id), { intervalMs: 5 });
    await worker.stop();
    expect(model.calls).toHaveLength(2);
  });

  it("keeps its lease by renewing it while a long turn runs, so no second worker steps in", async () => {
    const { queue, store, model, deps, newSession } = setup([{ ...textTurn("slow"), firstTokenDelayMs: 400 }]);
    const first = new HarnessWorker(deps, queue, { workerId: "first", pollMs: 10, leaseMs: 150 });
    const second = new HarnessWorker(deps, queue, { workerId: "second", pollMs: 10, leaseMs: 150 });
    first.start();
    const id = await newSession();
    await store.appendEvents(id, [userMessage("hi")], { wake: true });
    await until("the first model call", () => model.calls.length === 1, { intervalMs: 5 });
    second.start();
    await until("the session to go idle", () => idle(store, id), { intervalMs: 5 });
    expect(model.calls).toHaveLength(1); // the second worker never re-issued the call
    await Promise.all([first.stop(), second.stop()]);
  });

  it("aborts a wake whose lease was taken over, and its appends are refused", async () => {
    let now = 0;
    const queue = new InMemoryWorkQueue({ now: () => now });
    const store = new InMemorySessionStore({ workQueue: queue });
    const model = new ScriptedModelClient([{ hang: true }]);
    const deps: THarnessDeps = { store, model, sandboxes: new SandboxPool(new FakeSandboxProvider()), interruptPollMs: 20 };
    const id = (await store.createSession(newSessionInput(IN_MEMORY_PREREQS, { agentSnapshot: { model: "m", tools: [] } }))).id;
    const worker = new HarnessWorker(deps, queue, { workerId: "slow", pollMs: 10, leaseMs: 90 });
    await store.appendEvents(id, [userMessage("hi")], { wake: true });
    worker.start();
    await until("the first model call", () => model.calls.length === 1, { intervalMs: 5 });
    now += 10_000; // the lease expires (as if the worker had stalled)…
    const thief = await queue.claim("thief", 60_000); // …and another worker takes the session
    expect(thief?.sessionId).toBe(id);
    await until("the worker to have no active session", () => worker.activeSessions === 0, { timeoutMs: 3_000, intervalMs: 5 }); // the renewal fails and the wake is aborted
    await expect(store.appendEvents(id, [{ type: "agent.thinking" }], { leaseOwner: "slow#1" })).rejects.toThrow(/lease/);
    expect(await queue.holdsLease(id, "thief")).toBe(true); // the stale worker did not release it
    await worker.stop();
  });

  it("never drives one session twice when it re-claims a session whose lease it lost", async () => {
    let now = 0;
    const queue = new InMemoryWorkQueue({ now: () => now });
    const store = new InMemorySessionStore({ workQueue: queue });
    const scripted = new ScriptedModelClient([{ hang: true }, { ...textTurn("second run"), firstTokenDelayMs: 300 }]);
    const timeline: string[] = [];
    const model: ModelClient = {
      description: "recording",
      async stream(request, options) {
        const n = scripted.calls.length + 1;
        options.signal?.addEventListener("abort", () => timeline.push(`call ${n} aborted`));
        const response = await scripted.stream(request, options);
        timeline.push(`call ${n} answered`);
        return response;
      },
    };
    const deps: THarnessDeps = { store, model, sandboxes: new SandboxPool(new FakeSandboxProvider()), interruptPollMs: 20 };
    const id = (await store.createSession(newSessionInput(IN_MEMORY_PREREQS, { agentSnapshot: { model: "m", tools: [] } }))).id;
    const worker = new HarnessWorker(deps, queue, { workerId: "w", pollMs: 5, leaseMs: 60 });
    await store.appendEvents(id, [userMessage("hi")], { wake: true });
    worker.start();
    await until("the model call", () => scripted.calls.length === 1, { intervalMs: 5 });
    now += 10_000; // its lease runs out while the first run hangs; the worker claims the session again
    await until("the session to go idle", () => idle(store, id), { intervalMs: 5 });
    await until("the worker to have no active session", () => worker.activeSessions === 0, { timeoutMs: 3_000, intervalMs: 5 });
    await worker.stop();
    // the first run was fenced off as soon as the second claim took the lease, not after it finished
    expect(timeline).toEqual(["call 1 aborted", "call 2 answered"]);
    expect((await store.getEvents(id)).filter((e) => e.body.type === "agent.message")).toHaveLength(1);
  });
});
