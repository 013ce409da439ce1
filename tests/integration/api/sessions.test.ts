import Anthropic from "@anthropic-ai/sdk";
import { betaTool } from "@anthropic-ai/sdk/helpers/beta/json-schema";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AppServer } from "@/tests/fixtures/app-server";
import { startScriptedApp, type ScriptedApp } from "@/tests/fixtures/scripted-app";
import { type MessagesApiServer } from "@/tests/fixtures/messages-api";
import { until } from "@/tests/fixtures/wait";

/**
 * The Managed Agents flow through the official SDK, unchanged, against the real server, whose
 * harness calls the scripted Messages API: agents, environments, sessions, events, the stream.
 */
type TEvent = { type: string; id: string; [key: string]: unknown };

let api: MessagesApiServer;
let app: AppServer;
let client: Anthropic;
let environmentId: string;

let scripted: ScriptedApp | undefined;
beforeAll(async () => {
  scripted = await startScriptedApp({ environmentName: "test env" });
  ({ api, app, client, environmentId } = scripted);
});
afterAll(() => scripted?.stop());

async function newAgent(tools: unknown[] = [{ type: "agent_toolset_20260401" }]) {
  return client.beta.agents.create({ name: "sdk agent", model: "claude-sdk-test", system: "Be helpful.", tools } as never);
}

/** Opens the stream, runs `act`, and collects events until an idle that ends the turn. */
async function streamUntilIdle(sessionId: string, act: () => Promise<unknown>, done = (e: TEvent) => e.type === "session.status_idle" && (e.stop_reason as { type: string }).type !== "requires_action") {
  const stream = await client.beta.sessions.events.stream(sessionId);
  const seen: TEvent[] = [];
  await act();
  for await (const event of stream as AsyncIterable<TEvent>) {
    seen.push(event);
    if (done(event)) break;
  }
  return seen;
}

async function listAll(sessionId: string, query: Record<string, unknown> = {}): Promise<TEvent[]> {
  const all: TEvent[] = [];
  for await (const event of client.beta.sessions.events.list(sessionId, query as never)) all.push(event as unknown as TEvent);
  return all;
}

const say = (text: string) => ({ events: [{ type: "user.message" as const, content: [{ type: "text" as const, text }] }] });

describe("sessions through the official SDK", () => {
  it("create agent → environment → session → message → stream until idle → list (paged) equals the stream", async () => {
    const agent = await newAgent();
    const session = await client.beta.sessions.create({ agent: agent.id, environment_id: environmentId, title: "first" });
    expect(session).toMatchObject({ type: "session", status: "idle", environment_id: environmentId, title: "first" });
    expect(session.agent).toMatchObject({ id: agent.id, version: 1, name: "sdk agent" });

    api.enqueue({ content: [{ type: "text", text: "Hello from the model." }] });
    const streamed = await streamUntilIdle(session.id, async () => {
      const sent = await client.beta.sessions.events.send(session.id, say("hello"));
      expect(sent.data?.[0]).toMatchObject({ type: "user.message", content: [{ type: "text", text: "hello" }] });
    });
    const types = streamed.map((e) => e.type);
    expect(types).toEqual(["user.message", "session.status_running", "span.model_request_start", "agent.message", "span.model_request_end", "session.status_idle"]);
    expect(streamed.find((e) => e.type === "agent.message")).toMatchObject({ content: [{ type: "text", text: "Hello from the model." }] });

    const listed = await listAll(session.id, { limit: 2 });
    expect(listed.map((e) => e.id)).toEqual(streamed.map((e) => e.id));
    expect(listed).toEqual(streamed);
    const desc = await client.beta.sessions.events.list(session.id, { order: "desc", limit: 1, types: ["agent.message"] } as never);
    expect(desc.data.map((e) => e.type)).toEqual(["agent.message"]);

    const fetched = await client.beta.sessions.retrieve(session.id);
    expect(fetched.status).toBe("idle");
    expect(fetched.usage.output_tokens).toBeGreaterThan(0);
    const request = api.requests.at(-1)!.body!;
    expect(request.model).toBe("claude-sdk-test");
    expect(JSON.stringify(request.system)).toContain("Be helpful.");
  });

  it("answers custom tools through the SDK's session tool runner", async () => {
    const agent = await newAgent([
      { type: "custom", name: "get_weather", description: "Weather for a city", input_schema: { type: "object", properties: { city: { type: "string" } }, required: ["city"] } },
    ]);
    const session = await client.beta.sessions.create({ agent: agent.id, environment_id: environmentId });
    api.enqueue(
      { content: [{ type: "tool_use", name: "get_weather", input: { city: "Paris" } }] },
      { content: [{ type: "text", text: "It is sunny in Paris." }] },
    );
    const calls: unknown[] = [];
    const weather = betaTool({
      name: "get_weather",
      description: "Weather for a city",
      inputSchema: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
      run: ({ city }) => {
        calls.push(city);
        return `sunny in ${city}`;
      },
    });
    await client.beta.sessions.events.send(session.id, say("weather in Paris?"));
    const results = [];
    for await (const call of client.beta.sessions.events.toolRunner(session.id, { tools: [weather], maxIdleMs: 300, signal: AbortSignal.timeout(30_000) })) {
      results.push(call);
    }
    expect(calls).toEqual(["Paris"]);
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({ name: "get_weather", posted: true, isError: false });
    const events = await listAll(session.id);
    expect(events.find((e) => e.type === "user.custom_tool_result")).toMatchObject({ content: [{ type: "text", text: "sunny in Paris" }] });
    expect(events.at(-1)).toMatchObject({ type: "session.status_idle", stop_reason: { type: "end_turn" } });
    expect(JSON.stringify(api.requests.at(-1)!.body!.messages)).toContain("sunny in Paris");
  });

  it("waits for a tool confirmation, then runs the tool in the sandbox", async () => {
    const agent = await newAgent([{ type: "agent_toolset_20260401", default_config: { permission_policy: { type: "always_ask" } } }]);
    const session = await client.beta.sessions.create({ agent: agent.id, environment_id: environmentId });
    api.enqueue({ content: [{ type: "tool_use", name: "bash", input: { command: "echo confirmed-run" } }] }, { content: [{ type: "text", text: "Ran it." }] });
    const first = await streamUntilIdle(session.id, () => client.beta.sessions.events.send(session.id, say("run it")), (e) => e.type === "session.status_idle");
    const idle = first.at(-1)!;
    const use = first.find((e) => e.type === "agent.tool_use")!;
    expect(use).toMatchObject({ name: "bash", evaluated_permission: "ask" });
    expect(idle.stop_reason).toEqual({ type: "requires_action", event_ids: [use.id] });

    const second = await streamUntilIdle(session.id, () =>
      client.beta.sessions.events.send(session.id, { events: [{ type: "user.tool_confirmation", tool_use_id: use.id, result: "allow" }] }),
    );
    const result = second.find((e) => e.type === "agent.tool_result")!;
    expect(result).toMatchObject({ tool_use_id: use.id, is_error: false });
    expect(JSON.stringify(result.content)).toContain("confirmed-run");
  });

  it("interrupts a running turn", async () => {
    const agent = await newAgent();
    const session = await client.beta.sessions.create({ agent: agent.id, environment_id: environmentId });
    api.enqueue({ hang: true });
    const before = api.requests.length;
    const streamed = await streamUntilIdle(session.id, async () => {
      await client.beta.sessions.events.send(session.id, say("think forever"));
      await until("the turn's model request", () => api.requests.length !== before, { intervalMs: 10 });
      await client.beta.sessions.events.send(session.id, { events: [{ type: "user.interrupt" }] });
    });
    expect(streamed.map((e) => e.type)).toContain("user.interrupt");
    expect(streamed.at(-1)).toMatchObject({ type: "session.status_idle", stop_reason: { type: "end_turn" } });
    expect((await client.beta.sessions.retrieve(session.id)).status).toBe("idle");
  });

  it("archives and deletes with the reference's semantics", async () => {
    const agent = await newAgent();
    const session = await client.beta.sessions.create({ agent: agent.id, environment_id: environmentId, metadata: { a: "1", b: "2" } });
    const updated = await client.beta.sessions.update(session.id, { title: "renamed", metadata: { a: null, c: "3" } } as never);
    expect(updated).toMatchObject({ title: "renamed", metadata: { b: "2", c: "3" } });
    expect((await listAll(session.id)).map((e) => e.type)).toEqual(["session.updated"]);

    const archived = await client.beta.sessions.archive(session.id);
    expect(archived.status).toBe("terminated");
    expect(archived.archived_at).not.toBeNull();
    await expect(client.beta.sessions.events.send(session.id, say("anyone?"))).rejects.toMatchObject({ status: 400 });
    const ids = [];
    for await (const s of client.beta.sessions.list({ limit: 50 } as never)) ids.push(s.id);
    expect(ids).not.toContain(session.id);
    const withArchived = [];
    for await (const s of client.beta.sessions.list({ include_archived: true, limit: 50 } as never)) withArchived.push(s.id);
    expect(withArchived).toContain(session.id);

    const other = await client.beta.sessions.create({ agent: agent.id, environment_id: environmentId });
    const stream = await client.beta.sessions.events.stream(other.id);
    const deleted = await client.beta.sessions.delete(other.id);
    expect(deleted).toEqual({ id: other.id, type: "session_deleted" });
    const tail: TEvent[] = [];
    for await (const event of stream as AsyncIterable<TEvent>) tail.push(event); // ends when the server closes it
    expect(tail.map((e) => e.type)).toEqual(["session.deleted"]);
    await expect(client.beta.sessions.retrieve(other.id)).rejects.toBeInstanceOf(Anthropic.NotFoundError);
  });

  it("pages the session list both ways", async () => {
    const agent = await newAgent();
    const created = [];
    for (let i = 0; i < 5; i++) created.push((await client.beta.sessions.create({ agent: agent.id, environment_id: environmentId, title: `page ${i}` })).id);
    const first = await client.beta.sessions.list({ agent_id: agent.id, limit: 2 } as never);
    expect(first.data.map((s) => s.id)).toEqual([created[4], created[3]]);
    const body = first as unknown as { next_page: string | null; prev_page: string | null };
    expect(body.prev_page).toBeNull();
    const second = await client.beta.sessions.list({ agent_id: agent.id, limit: 2, page: body.next_page } as never);
    expect(second.data.map((s) => s.id)).toEqual([created[2], created[1]]);
    const back = await client.beta.sessions.list({ agent_id: agent.id, limit: 2, page: (second as unknown as { prev_page: string }).prev_page } as never);
    expect(back.data.map((s) => s.id)).toEqual([created[4], created[3]]);
    const all = [];
    for await (const s of client.beta.sessions.list({ agent_id: agent.id, limit: 2, order: "asc" } as never)) all.push(s.id);
    expect(all).toEqual(created);
  });
});
