import type Anthropic from "@anthropic-ai/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AppServer } from "@/tests/fixtures/app-server";
import { startScriptedApp, type ScriptedApp } from "@/tests/fixtures/scripted-app";
import { type MessagesApiServer } from "@/tests/fixtures/messages-api";
import { failure } from "@/tests/fixtures/sdk-client";

/**
 * Usage, list cost and budgets through the official SDK, unchanged, against the real server, whose
 * harness calls the scripted Messages API with fixed token counts: every request's list cost folds
 * into `session.usage`, and a budget stops the session (`budget_reached`) without calling the model
 * until it is raised.
 */
type TEvent = { type: string; id: string; [key: string]: unknown };

let api: MessagesApiServer;
let app: AppServer;
let client: Anthropic;
let environmentId: string;

let scripted: ScriptedApp | undefined;
beforeAll(async () => {
  scripted = await startScriptedApp({ environmentName: "budget env" });
  ({ api, app, client, environmentId } = scripted);
});
afterAll(() => scripted?.stop());

// At Sonnet 4.6 list prices ($3 in, $15 out, $3.75 cache write, $0.30 cache read per million tokens):
// 10,000 in = 3¢, 30,000 out = 45¢, 16,000 written = 6¢: 54¢ exactly.
// (Contexts well inside the model's window, 56,000 and 80,000 tokens: no compaction before the next request.)
const TURN_54_CENTS = { input_tokens: 10_000, output_tokens: 30_000, cache_creation_input_tokens: 16_000, cache_read_input_tokens: 0 };
// 10,000 in = 3¢, 20,000 out = 30¢, 50,000 read = 1.5¢: 34.5¢.
const TURN_34_5_CENTS = { input_tokens: 10_000, output_tokens: 20_000, cache_creation_input_tokens: 0, cache_read_input_tokens: 50_000 };
const CENTS = 10_000_000; // nano-dollars

const say = (text: string) => ({ events: [{ type: "user.message" as const, content: [{ type: "text" as const, text }] }] });
const budget = (cents: number) => ({ type: "limit" as const, max_list_cost: { amount: String(cents), currency: "USD" as const } });

async function newAgent(model = "claude-sonnet-4-6") {
  return client.beta.agents.create({ name: "priced agent", model, system: "Be brief." } as never);
}

async function listAll(sessionId: string): Promise<TEvent[]> {
  const all: TEvent[] = [];
  for await (const event of client.beta.sessions.events.list(sessionId)) all.push(event as unknown as TEvent);
  return all;
}

/** Sends a message on an open stream and collects events until the session goes idle. */
async function sendUntilIdle(sessionId: string, text: string): Promise<TEvent[]> {
  const stream = await client.beta.sessions.events.stream(sessionId);
  await client.beta.sessions.events.send(sessionId, say(text));
  const seen: TEvent[] = [];
  for await (const event of stream as AsyncIterable<TEvent>) {
    seen.push(event);
    if (event.type === "session.status_idle") break;
  }
  return seen;
}

describe("usage and list cost", () => {
  it("folds every model request's tokens and list cost into session.usage, with active_seconds", async () => {
    const agent = await newAgent();
    const session = await client.beta.sessions.create({ agent: agent.id, environment_id: environmentId });
    expect(session.usage.list_cost).toEqual({ amount: "0", currency: "USD" });
    expect(session.budget).toBeNull();

    api.enqueue({ content: [{ type: "text", text: "One." }], usage: TURN_54_CENTS });
    await sendUntilIdle(session.id, "first");
    api.enqueue({ content: [{ type: "text", text: "Two." }], usage: TURN_34_5_CENTS });
    await sendUntilIdle(session.id, "second");

    const fetched = await client.beta.sessions.retrieve(session.id);
    expect(fetched.usage).toMatchObject({
      input_tokens: 20_000,
      output_tokens: 50_000,
      cache_read_input_tokens: 50_000,
      cache_creation: { ephemeral_5m_input_tokens: 16_000 },
      // 88.5¢, in whole cents rounded down
      list_cost: { amount: "88", currency: "USD" },
    });
    expect(fetched.usage.active_seconds).toBeGreaterThan(0);
    expect(fetched.stats.active_seconds).toBe(fetched.usage.active_seconds);
    expect(fetched.stats.duration_seconds).toBeGreaterThanOrEqual(fetched.usage.active_seconds!);

    // each request's end carries its own list cost (an extension field the SDK passes through)
    const ends = (await listAll(session.id)).filter((e) => e.type === "span.model_request_end");
    expect(ends.map((e) => [e.model, e.list_cost_nano_usd])).toEqual([
      ["claude-sonnet-4-6", 54 * CENTS],
      ["claude-sonnet-4-6", 34.5 * CENTS],
    ]);
    // the list agrees with the session (and the list page computes it the same way)
    const listed = await client.beta.sessions.list({ limit: 100 });
    expect(listed.data.find((s) => s.id === session.id)?.usage.list_cost).toEqual({ amount: "88", currency: "USD" });
  });

  it("leaves the list cost unknown (null) when the model has no list price", async () => {
    const agent = await newAgent("claude-unpriced-test");
    const session = await client.beta.sessions.create({ agent: agent.id, environment_id: environmentId });
    api.enqueue({ content: [{ type: "text", text: "Free?" }], usage: TURN_34_5_CENTS });
    await sendUntilIdle(session.id, "hello");
    const fetched = await client.beta.sessions.retrieve(session.id);
    expect(fetched.usage.input_tokens).toBe(10_000);
    expect(fetched.usage.list_cost).toBeNull();
  });
});

describe("budgets", () => {
  it("stops a session whose list cost reached its budget without calling the model, and goes on once it is raised", async () => {
    const agent = await newAgent();
    const session = await client.beta.sessions.create({ agent: agent.id, environment_id: environmentId, budget: budget(50) });
    expect(session.budget).toEqual(budget(50));

    api.enqueue({ content: [{ type: "text", text: "Spent 54 cents." }], usage: TURN_54_CENTS });
    const first = await sendUntilIdle(session.id, "spend");
    expect(first.at(-1)).toMatchObject({ type: "session.status_idle", stop_reason: { type: "end_turn" } });

    // 54¢ ≥ 50¢: the next message makes no model request
    const before = api.requests.length;
    const second = await sendUntilIdle(session.id, "more");
    expect(second.map((e) => e.type)).toEqual(["user.message", "session.status_idle"]);
    expect(second.at(-1)).toMatchObject({ stop_reason: { type: "budget_reached" } });
    expect(api.requests.length).toBe(before);
    const stopped = await client.beta.sessions.retrieve(session.id);
    expect(stopped).toMatchObject({ status: "idle", usage: { list_cost: { amount: "54" } }, budget: budget(50) });

    // lowering it to what is spent is refused, and writes nothing
    const eventsBefore = (await listAll(session.id)).length;
    const lowered = await failure(client.beta.sessions.update(session.id, { budget: budget(54) }));
    expect(lowered.status).toBe(400);
    expect(lowered.message).toMatch(/budget\.max_list_cost\.amount/);
    expect((lowered.error as { error?: { details?: { error_code?: string } } }).error?.details?.error_code).toBe("budget_not_raised");
    expect((await listAll(session.id)).length).toBe(eventsBefore);

    // raised: the update is announced, and the next message goes on (the model sees both messages)
    const raised = await client.beta.sessions.update(session.id, { budget: budget(200) });
    expect(raised.budget).toEqual(budget(200));
    const announced = (await listAll(session.id)).at(-1)!;
    expect(announced).toMatchObject({ type: "session.updated", budget: budget(200) });

    api.enqueue({ content: [{ type: "text", text: "Going on." }], usage: TURN_34_5_CENTS });
    const third = await sendUntilIdle(session.id, "go on");
    expect(third.at(-1)).toMatchObject({ type: "session.status_idle", stop_reason: { type: "end_turn" } });
    expect(third.find((e) => e.type === "agent.message")).toMatchObject({ content: [{ type: "text", text: "Going on." }] });
    expect(api.requests.length).toBe(before + 1);
    const sent = JSON.stringify(api.requests.at(-1)!.body!.messages);
    expect(sent).toContain("more");
    expect(sent).toContain("go on");
    expect((await client.beta.sessions.retrieve(session.id)).usage.list_cost).toEqual({ amount: "88", currency: "USD" });

    // removed: no budget any more, and it cannot be added back
    expect((await client.beta.sessions.update(session.id, { budget: null })).budget).toBeNull();
    const readded = await failure(client.beta.sessions.update(session.id, { budget: budget(1000) }));
    expect(readded.status).toBe(400);
    expect((readded.error as { error?: { details?: { error_code?: string } } }).error?.details?.error_code).toBe("budget_create_only");
  });
});

describe("bad budgets", () => {
  async function sessionCount() {
    let n = 0;
    for await (const _ of client.beta.sessions.list({ limit: 100 })) n++;
    return n;
  }

  it("refuses a negative, fractional or non-numeric budget with a 400 naming the field, and creates nothing", async () => {
    const agent = await newAgent();
    const count = await sessionCount();
    for (const amount of ["-100", "12.5", "ten", 100]) {
      const error = await failure(
        client.beta.sessions.create({ agent: agent.id, environment_id: environmentId, budget: { type: "limit", max_list_cost: { amount, currency: "USD" } } } as never),
      );
      expect(error.status, String(amount)).toBe(400);
      expect(error.message).toMatch(/budget\.max_list_cost\.amount/);
    }
    const wrongType = await failure(client.beta.sessions.create({ agent: agent.id, environment_id: environmentId, budget: { type: "soft", max_list_cost: { amount: "1", currency: "USD" } } } as never));
    expect(wrongType.message).toMatch(/budget\.type/);
    // a model without a list price cannot be budgeted
    const unpriced = await newAgent("claude-unpriced-test");
    const notBudgetable = await failure(client.beta.sessions.create({ agent: unpriced.id, environment_id: environmentId, budget: budget(100) }));
    expect(notBudgetable.status).toBe(400);
    expect(notBudgetable.message).toMatch(/^400 budget: /);
    expect((notBudgetable.error as { error?: { details?: { error_code?: string } } }).error?.details?.error_code).toBe("model_not_budgetable");
    expect(await sessionCount()).toBe(count);
  });

  it("refuses a bad budget on update with a 400 naming the field, and changes nothing", async () => {
    const agent = await newAgent();
    const session = await client.beta.sessions.create({ agent: agent.id, environment_id: environmentId, budget: budget(100) });
    const eventsBefore = (await listAll(session.id)).length;
    for (const amount of ["-1", "1e3", ""]) {
      const error = await failure(client.beta.sessions.update(session.id, { budget: { type: "limit", max_list_cost: { amount, currency: "USD" } } } as never));
      expect(error.status).toBe(400);
      expect(error.message).toMatch(/budget\.max_list_cost\.amount/);
    }
    const currency = await failure(client.beta.sessions.update(session.id, { budget: { type: "limit", max_list_cost: { amount: "500", currency: "EUR" } } } as never));
    expect(currency.message).toMatch(/budget\.max_list_cost\.currency/);
    expect((await client.beta.sessions.retrieve(session.id)).budget).toEqual(budget(100));
    expect((await listAll(session.id)).length).toBe(eventsBefore);
  });
});
