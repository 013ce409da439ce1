import { describe, expect, it } from "vitest";
import type { TEventBody } from "@/lib/event-log/events";
import { InMemorySessionStore } from "@/lib/event-log/in-memory-session-store";
import { listCostOf } from "@/lib/event-log/usage";
import { SandboxPool } from "@/lib/harness/sandbox-pool";
import { wake } from "@/lib/harness/wake";
import type { THarnessDeps } from "@/lib/harness/wake-context";
import { ScriptedModelClient, toolUseTurn, type TScriptedTurn } from "@/lib/model/scripted-model-client";
import { FakeSandboxProvider } from "@/lib/sandbox/fake";
import { IN_MEMORY_PREREQS, newSessionInput } from "@/tests/fixtures/seed";

/**
 * The harness under a budget, with an in-memory store and a scripted model: it prices every
 * request at the list price of its model (Haiku 4.5 here: $1 in, $5 out per million tokens), and
 * stops before the request that would spend past the budget.
 */
const CENT = 10_000_000;
// 10,000 in = 1¢, 2,000 out = 1¢: 2¢ a request
const TWO_CENTS = { input_tokens: 10_000, output_tokens: 2_000, cache_read_input_tokens: 0, cache_creation_input_tokens: 0 };
const text = (value: string, usage = TWO_CENTS): TScriptedTurn => ({ content: [{ type: "text", text: value }], usage });
const say = (value: string) => ({ type: "user.message", content: [{ type: "text", text: value }] });
const budget = (cents: number) => ({ type: "limit", max_list_cost: { amount: String(cents), currency: "USD" } });

async function setup(script: TScriptedTurn[], options: { budget?: Record<string, unknown>; model?: string } = {}) {
  const store = new InMemorySessionStore();
  const model = new ScriptedModelClient(script);
  const provider = new FakeSandboxProvider({ exec: (command) => ({ exitCode: 0, stdout: `ran: ${command}\n` }) });
  const deps: THarnessDeps = { store, model, sandboxes: new SandboxPool(provider), interruptPollMs: 25, modelRetry: { attempts: 1, baseDelayMs: 1, maxDelayMs: 1 } };
  const agentSnapshot = { type: "agent", id: "agent_test", version: 1, name: "test", model: { id: options.model ?? "claude-haiku-4-5" }, system: null, tools: [{ type: "agent_toolset_20260401" }] };
  const session = await store.createSession(newSessionInput(IN_MEMORY_PREREQS, { agentSnapshot, budget: options.budget ?? null }));
  const id = session.id;
  return {
    model,
    send: (...bodies: unknown[]) => store.appendEvents(id, bodies),
    run: () => wake(id, deps),
    bodies: async () => (await store.getEvents(id, { limit: 10_000 })).map((e) => e.body),
    state: async () => (await store.getSession(id))!.state,
  };
}

const idleReasons = (bodies: TEventBody[]) => bodies.flatMap((b) => (b.type === "session.status_idle" ? [b.stop_reason.type] : []));

describe("wake: budgets", () => {
  it("records each request's model and list cost on its end, and the session's usage sums them", async () => {
    const h = await setup([text("one"), text("two")]);
    await h.send(say("a"));
    await h.run();
    await h.send(say("b"));
    await h.run();
    const ends = (await h.bodies()).filter((b) => b.type === "span.model_request_end");
    expect(ends.map((e) => [e.model, e.list_cost_nano_usd])).toEqual([
      ["claude-haiku-4-5", 2 * CENT],
      ["claude-haiku-4-5", 2 * CENT],
    ]);
    const { usage } = await h.state();
    expect(usage).toMatchObject({ input_tokens: 20_000, output_tokens: 4_000, list_cost_nano_usd: 4 * CENT, unpriced_requests: 0 });
    expect(listCostOf(usage)).toEqual({ amount: "4", currency: "USD" });
  });

  it("stops in the middle of a turn, before the request past the budget, and goes on after a raise", async () => {
    // a tool call, its result, then the model again: the second request would pass 3¢
    const h = await setup([{ ...toolUseTurn("bash", { command: "ls" }), usage: { ...TWO_CENTS, output_tokens: 4_000 } }, text("done")], { budget: budget(3) });
    await h.send(say("list files"));
    await h.run();
    let bodies = await h.bodies();
    expect(h.model.calls).toHaveLength(1);
    expect(bodies.map((b) => b.type).slice(-2)).toEqual(["agent.tool_result", "session.status_idle"]);
    expect(idleReasons(bodies)).toEqual(["budget_reached"]);
    expect(await h.state()).toMatchObject({ status: "idle", stopReason: { type: "budget_reached" } });

    // waking again changes nothing: it said so once
    await h.run();
    expect((await h.bodies()).length).toBe(bodies.length);

    // raised (the update's event), and a message: the model sees the tool result and the message
    await h.send({ type: "session.updated", budget: budget(10) }, say("go on"));
    await h.run();
    bodies = await h.bodies();
    expect(h.model.calls).toHaveLength(2);
    expect(idleReasons(bodies)).toEqual(["budget_reached", "end_turn"]);
    expect(JSON.stringify(h.model.calls[1]!.request.messages)).toContain("go on");
  });

  it("stops at once a session whose cost is unknown (a model without a list price ran)", async () => {
    const h = await setup([text("priceless")], { model: "claude-unpriced", budget: budget(100) });
    await h.send(say("a"));
    await h.run();
    await h.send(say("b"));
    await h.run();
    expect(h.model.calls).toHaveLength(1);
    expect(idleReasons(await h.bodies())).toEqual(["end_turn", "budget_reached"]);
    expect(listCostOf((await h.state()).usage)).toBeNull();
  });
});
