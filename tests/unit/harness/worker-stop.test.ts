import { describe, expect, it } from "vitest";
import { HarnessWorker } from "@/lib/harness/harness-worker";
import { InMemoryWorkQueue } from "@/lib/harness/in-memory-work-queue";
import { SandboxPool } from "@/lib/harness/sandbox-pool";
import type { THarnessDeps } from "@/lib/harness/wake-context";
import { ScriptedModelClient, textTurn, toolUseTurn, type TScriptedTurn } from "@/lib/model/scripted-model-client";
import { FakeSandboxProvider } from "@/lib/sandbox/fake";
import type { FakeExecHandler } from "@/lib/sandbox/fake";
import { InMemorySessionStore } from "@/lib/event-log/in-memory-session-store";
import type { SessionStore } from "@/lib/event-log/session-store";
import { IN_MEMORY_PREREQS, newSessionInput } from "@/tests/fixtures/seed";
import { until } from "@/tests/fixtures/wait";
import { ofType, textOf, userMessage } from "./harness-fixture";

/**
 * Every way a worker leaves a session (stop mid-tool, stop mid-model-call within and past the
 * grace, claimed while stopping, an unexpected failure) leaves unfinished work queued, and the
 * next worker finishes it from the log. Leases here are long (a minute): a session that moves on
 * was handed back, not taken over after its lease ran out.
 */
const LONG_LEASE = 60_000;

function setup(options: { script: TScriptedTurn[]; exec?: FakeExecHandler; now?: () => number; store?: (store: SessionStore) => SessionStore }) {
  const queue = new InMemoryWorkQueue({ now: options.now });
  const inner = new InMemorySessionStore({ workQueue: queue });
  const store = options.store ? options.store(inner) : inner;
  const model = new ScriptedModelClient(options.script);
  const provider = new FakeSandboxProvider({ exec: options.exec ?? ((command) => ({ stdout: `ran: ${command}\n` })) });
  const deps: THarnessDeps = { store, model, sandboxes: new SandboxPool(provider), interruptPollMs: 20 };
  const worker = (id: string, extra: { shutdownGraceMs?: number; leaseMs?: number } = {}) =>
    new HarnessWorker(deps, queue, { workerId: id, pollMs: 5, leaseMs: LONG_LEASE, ...extra });
  const start = async () => {
    const session = await inner.createSession(
      newSessionInput(IN_MEMORY_PREREQS, { agentSnapshot: { model: { id: "m" }, system: null, tools: [{ type: "agent_toolset_20260401" }] } }),
    );
    await inner.appendEvents(session.id, [userMessage("go")], { wake: true });
    return session.id;
  };
  const finished = async (id: string) => {
    const s = await inner.getSession(id);
    return s?.state.status === "idle" && s.state.stopReason?.type === "end_turn";
  };
  /** The session is queued and claimable right now (then put back as it was). */
  const claimableNow = async (id: string) => {
    const probe = await queue.claim("probe", 1_000);
    if (probe) await queue.abandon(probe);
    return probe?.sessionId === id;
  };
  return { queue, store: inner, model, provider, worker, start, finished, claimableNow };
}

describe("a stopping worker hands its sessions over", () => {
  it("abandons a tool call in flight at once: the command is killed, the next worker reports it interrupted, one result", async () => {
    let started = 0;
    const t = setup({
      script: [toolUseTurn("bash", { command: "make deploy" }), textTurn("I will check whether it ran.")],
      exec: () => {
        started++;
        return new Promise(() => {}); // a long command
      },
    });
    const id = await t.start();
    const first = t.worker("first", { shutdownGraceMs: 60_000 });
    first.start();
    await until("the command to start", () => started === 1, { intervalMs: 5 });
    const sandbox = t.provider.sandboxes[0]!;

    await first.stop(); // returns without waiting for the command or the grace
    expect(await sandbox.isAlive()).toBe(false); // the command's sandbox was destroyed before the handover
    expect(ofType(await t.store.getEvents(id, { limit: 1_000 }), "agent.tool_result")).toHaveLength(0);
    expect((await t.store.getSession(id))?.state.status).toBe("running");
    expect(await t.claimableNow(id)).toBe(true); // queued, lease handed back

    const second = t.worker("second");
    second.start();
    await until("the session to finish on the second worker", () => t.finished(id), { intervalMs: 5 });
    await second.stop();
    const events = await t.store.getEvents(id, { limit: 1_000 });
    const results = ofType(events, "agent.tool_result");
    expect(results).toHaveLength(1);
    expect(results[0]!.body.is_error).toBe(true);
    expect(textOf(results[0])).toMatch(/interrupted/);
    expect(started).toBe(1); // bash is never run twice
    expect(t.model.calls).toHaveLength(2);
  });

  it("lets a model call in flight finish within the grace, stores its answer once, and the next worker runs the tool", async () => {
    const t = setup({ script: [{ ...toolUseTurn("bash", { command: "ls" }), firstTokenDelayMs: 150 }, textTurn("Listed.")] });
    const id = await t.start();
    const first = t.worker("first", { shutdownGraceMs: 10_000 });
    first.start();
    await until("the first model call", () => t.model.calls.length === 1, { intervalMs: 5 });
    await first.stop();
    let events = await t.store.getEvents(id, { limit: 1_000 });
    expect(ofType(events, "agent.tool_use")).toHaveLength(1); // the answer was stored…
    expect(ofType(events, "span.tool_execution_start")).toHaveLength(0); // …and no new step was started
    expect(await t.claimableNow(id)).toBe(true);

    const second = t.worker("second");
    second.start();
    await until("the session to finish on the second worker", () => t.finished(id), { intervalMs: 5 });
    await second.stop();
    events = await t.store.getEvents(id, { limit: 1_000 });
    expect(t.model.calls).toHaveLength(2); // the first call was not paid for twice
    const results = ofType(events, "agent.tool_result");
    expect(results).toHaveLength(1);
    expect(textOf(results[0])).toContain("ran: ls");
  });

  it("cuts a model call that outlasts the grace: nothing of it is stored and the next worker asks again", async () => {
    const t = setup({ script: [{ hang: true }, textTurn("Here I am.")] });
    const id = await t.start();
    const first = t.worker("first", { shutdownGraceMs: 50 });
    first.start();
    await until("the first model call", () => t.model.calls.length === 1, { intervalMs: 5 });
    await first.stop();
    expect(ofType(await t.store.getEvents(id, { limit: 1_000 }), "agent.message")).toHaveLength(0);
    expect(await t.claimableNow(id)).toBe(true);

    const second = t.worker("second");
    second.start();
    await until("the session to finish on the second worker", () => t.finished(id), { intervalMs: 5 });
    await second.stop();
    const messages = ofType(await t.store.getEvents(id, { limit: 1_000 }), "agent.message");
    expect(messages.map((m) => textOf(m))).toEqual(["Here I am."]);
  });

  it("hands back at once a session it claimed while stopping", async () => {
    const t = setup({ script: [textTurn("hello")] });
    const id = await t.start();
    // The worker's claim is held until `stop` has begun, as when SIGTERM lands during a claim.
    let claimStarted!: () => void;
    const claiming = new Promise<void>((resolve) => (claimStarted = resolve));
    let letClaimFinish!: () => void;
    const gate = new Promise<void>((resolve) => (letClaimFinish = resolve));
    const claim = t.queue.claim.bind(t.queue);
    t.queue.claim = async (workerId, leaseMs) => {
      claimStarted();
      await gate;
      return claim(workerId, leaseMs);
    };
    const first = t.worker("first");
    first.start();
    await claiming;
    const stopping = first.stop();
    letClaimFinish();
    await stopping;
    t.queue.claim = claim;
    expect(await t.queue.holdsLease(id, "first#1")).toBe(false);
    expect(await t.claimableNow(id)).toBe(true);
    expect(t.model.calls).toHaveLength(0);
  });

  it("leaves a session that failed unexpectedly queued under its lease, and another worker finishes it after the lease", async () => {
    let now = 1_000_000;
    let failures = 1;
    const t = setup({
      script: [textTurn("recovered")],
      now: () => now,
      store: (store) =>
        new Proxy(store, {
          get(target, key, receiver) {
            const value = Reflect.get(target, key, receiver);
            if (key !== "getEvents" || typeof value !== "function") return typeof value === "function" ? value.bind(target) : value;
            return (...args: unknown[]) => (failures-- > 0 ? Promise.reject(new Error("database unreachable")) : value.apply(target, args));
          },
        }),
    });
    const id = await t.start();
    const first = t.worker("first", { leaseMs: 5_000 });
    first.start();
    await until("the first run to fail and end", () => failures < 0 || (failures === 0 && first.activeSessions === 0), { intervalMs: 5 });
    await first.stop();
    expect(await t.claimableNow(id)).toBe(false); // still leased to the failed run: its expiry is the back-off
    now += 5_001;
    expect(await t.claimableNow(id)).toBe(true); // never dropped from the queue
    const second = t.worker("second");
    second.start();
    await until("the session to finish on the second worker", () => t.finished(id), { intervalMs: 5 });
    await second.stop();
    expect(textOf(ofType(await t.store.getEvents(id, { limit: 1_000 }), "agent.message")[0])).toBe("recovered");
  });
});
