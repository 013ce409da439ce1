import Anthropic from "@anthropic-ai/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAppServer, type AppServer } from "@/tests/fixtures/app-server";

/**
 * Malformed requests, sent as raw HTTP (what a buggy client or an attacker sends, not what the SDK
 * would): each gets the right 4xx in the Anthropic error envelope, and afterwards nothing was
 * written or half-written — the lists and the session's log are exactly as before.
 */
let app: AppServer;
let client: Anthropic;
let agentId: string;
let environmentId: string;
let sessionId: string;
let toolUseLikeId: string;
let archivedVaultId: string;

beforeAll(async () => {
  app = await startAppServer();
  client = new Anthropic({ apiKey: app.apiKey, baseURL: app.url, maxRetries: 0 });
  agentId = (await client.beta.agents.create({ name: "target", model: "claude-test" } as never)).id;
  environmentId = (await client.beta.environments.create({ name: "env" })).id;
  sessionId = (await client.beta.sessions.create({ agent: agentId, environment_id: environmentId })).id;
  toolUseLikeId = "sevt_01ABCDEFGHJKMNPQRSTVWXYZ0";
  archivedVaultId = (await client.beta.vaults.create({ display_name: "old" })).id;
  await client.beta.vaults.archive(archivedVaultId);
});
afterAll(async () => {
  await app?.stop();
});

type TCase = { name: string; method: string; path: () => string; body?: () => string | undefined; status: number; type?: string; message?: RegExp };

const json = (value: unknown) => () => JSON.stringify(value);
const agentBody = (extra: Record<string, unknown>) => json({ name: "a", model: "claude-test", ...extra });
const send = (events: unknown) => json({ events });
const text = (t: string) => ({ type: "user.message", content: [{ type: "text", text: t }] });
const events = () => `/v1/sessions/${sessionId}/events`;

const CASES: TCase[] = [
  // bodies that are not a JSON object
  { name: "malformed JSON", method: "POST", path: () => "/v1/agents", body: () => '{"name": "x",', status: 400, message: /not valid JSON/ },
  { name: "a JSON array body", method: "POST", path: () => "/v1/agents", body: () => "[]", status: 400, message: /JSON object/ },
  { name: "an empty body", method: "POST", path: () => "/v1/agents", body: () => "", status: 400, message: /empty/ },
  { name: "a JSON string body", method: "POST", path: () => "/v1/agents", body: () => '"agent"', status: 400 },
  { name: "a body over 4 MiB", method: "POST", path: () => "/v1/agents", body: agentBody({ system: "x".repeat(4 * 1024 * 1024 + 10) }), status: 413, type: "request_too_large" },
  // agents: types, bounds, unknown fields
  { name: "agent without name", method: "POST", path: () => "/v1/agents", body: json({ model: "claude-test" }), status: 400, message: /name/ },
  { name: "agent name of the wrong type", method: "POST", path: () => "/v1/agents", body: json({ name: 42, model: "claude-test" }), status: 400, message: /name/ },
  { name: "agent name empty", method: "POST", path: () => "/v1/agents", body: json({ name: "", model: "claude-test" }), status: 400, message: /name/ },
  { name: "agent name of 100k characters", method: "POST", path: () => "/v1/agents", body: json({ name: "n".repeat(100_000), model: "claude-test" }), status: 400, message: /name/ },
  { name: "agent without model", method: "POST", path: () => "/v1/agents", body: json({ name: "a" }), status: 400, message: /model/ },
  { name: "agent with an unknown field", method: "POST", path: () => "/v1/agents", body: agentBody({ colour: "red" }), status: 400, message: /colour/ },
  { name: "agent tools not a list", method: "POST", path: () => "/v1/agents", body: agentBody({ tools: "bash" }), status: 400, message: /tools/ },
  { name: "custom tool whose schema is not an object", method: "POST", path: () => "/v1/agents", body: agentBody({ tools: [{ type: "custom", name: "t", description: "d", input_schema: { type: "string" } }] }), status: 400, message: /input_schema|object/ },
  { name: "custom tool with an invalid name", method: "POST", path: () => "/v1/agents", body: agentBody({ tools: [{ type: "custom", name: "bad name!", description: "d", input_schema: { type: "object" } }] }), status: 400, message: /name/ },
  { name: "metadata with 17 keys", method: "POST", path: () => "/v1/agents", body: agentBody({ metadata: Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`k${i}`, "v"])) }), status: 400, message: /metadata/ },
  { name: "metadata value over 512 characters", method: "POST", path: () => "/v1/agents", body: agentBody({ metadata: { k: "v".repeat(600) } }), status: 400, message: /metadata/ },
  { name: "permission policy unknown", method: "POST", path: () => "/v1/agents", body: agentBody({ tools: [{ type: "agent_toolset_20260401", default_config: { permission_policy: { type: "sometimes" } } }] }), status: 400 },
  // environments
  { name: "environment without name", method: "POST", path: () => "/v1/environments", body: json({}), status: 400, message: /name/ },
  { name: "environment config of an unknown type", method: "POST", path: () => "/v1/environments", body: json({ name: "e", config: { type: "banana" } }), status: 400, message: /config/ },
  // query strings
  { name: "limit 0", method: "GET", path: () => "/v1/agents?limit=0", status: 400, message: /limit/ },
  { name: "limit not a number", method: "GET", path: () => "/v1/agents?limit=abc", status: 400, message: /limit/ },
  { name: "limit too large", method: "GET", path: () => "/v1/agents?limit=100000", status: 400, message: /limit/ },
  { name: "a page cursor not from this API", method: "GET", path: () => "/v1/sessions?page=not-a-cursor", status: 400, message: /page/ },
  { name: "an unknown session status filter", method: "GET", path: () => "/v1/sessions?statuses[]=sleeping", status: 400, message: /statuses/ },
  { name: "an unknown event type filter", method: "GET", path: () => `${events()}?types[]=agent.explode`, status: 400, message: /types/ },
  { name: "an unknown order", method: "GET", path: () => `${events()}?order=sideways`, status: 400, message: /order/ },
  { name: "an unknown preview type", method: "GET", path: () => `/v1/sessions/${sessionId}/events/stream?event_deltas[]=agent.tool_use`, status: 400, message: /event_deltas/ },
  // ids
  { name: "an unknown agent id", method: "GET", path: () => "/v1/agents/agent_01ABCDEFGHJKMNPQRSTVWXYZ00", status: 404, type: "not_found_error" },
  { name: "a path-traversal id", method: "GET", path: () => "/v1/sessions/..%2F..%2Fetc%2Fpasswd", status: 404 },
  { name: "a NUL in an id", method: "GET", path: () => "/v1/sessions/sesn_%00", status: 404 },
  // sessions
  { name: "session without agent", method: "POST", path: () => "/v1/sessions", body: () => JSON.stringify({ environment_id: environmentId }), status: 400, message: /agent/ },
  { name: "session with an unknown agent", method: "POST", path: () => "/v1/sessions", body: () => JSON.stringify({ agent: "agent_01ABCDEFGHJKMNPQRSTVWXYZ00", environment_id: environmentId }), status: 404 },
  { name: "session with an archived vault", method: "POST", path: () => "/v1/sessions", body: () => JSON.stringify({ agent: agentId, environment_id: environmentId, vault_ids: [archivedVaultId] }), status: 400, message: /vault "old" \(vlt_\w+\) is archived/ },
  { name: "session with an unknown environment", method: "POST", path: () => "/v1/sessions", body: () => JSON.stringify({ agent: agentId, environment_id: "env_01ABCDEFGHJKMNPQRSTVWXYZ00" }), status: 404 },
  { name: "session with an unknown vault", method: "POST", path: () => "/v1/sessions", body: () => JSON.stringify({ agent: agentId, environment_id: environmentId, vault_ids: ["vlt_01ABCDEFGHJKMNPQRSTVWXYZ00"] }), status: 404 },
  { name: "session whose initial event is an agent event", method: "POST", path: () => "/v1/sessions", body: () => JSON.stringify({ agent: agentId, environment_id: environmentId, initial_events: [{ type: "agent.message", content: [] }] }), status: 400, message: /initial_events|cannot be sent/ },
  { name: "session update with an unknown field", method: "POST", path: () => `/v1/sessions/${sessionId}`, body: json({ colour: "red" }), status: 400, message: /colour/ },
  // events
  { name: "no events", method: "POST", path: events, body: send([]), status: 400, message: /events/ },
  { name: "events not a list", method: "POST", path: events, body: send("hello"), status: 400, message: /events/ },
  { name: "an agent event sent by a client", method: "POST", path: events, body: send([{ type: "agent.message", content: [{ type: "text", text: "x" }] }]), status: 400, message: /cannot be sent by a client/ },
  { name: "an unknown event type", method: "POST", path: events, body: send([{ type: "user.dance" }]), status: 400, message: /user\.dance/ },
  { name: "a message with no content", method: "POST", path: events, body: send([{ type: "user.message", content: [] }]), status: 400, message: /content/ },
  { name: "a message whose text is a number", method: "POST", path: events, body: send([{ type: "user.message", content: [{ type: "text", text: 7 }] }]), status: 400, message: /events\[0\]\.content\[0\]\.text/ },
  { name: "a message with a NUL character", method: "POST", path: events, body: send([text("nul\u0000here")]), status: 400, message: /U\+0000/ },
  { name: "a message with a lone surrogate", method: "POST", path: events, body: () => `{"events":[{"type":"user.message","content":[{"type":"text","text":"\\ud800"}]}]}`, status: 400, message: /Unicode/ },
  { name: "a confirmation with an unknown verdict", method: "POST", path: events, body: send([{ type: "user.tool_confirmation", tool_use_id: "sevt_x", result: "maybe" }]), status: 400, message: /result/ },
  { name: "a confirmation for a tool use that does not exist", method: "POST", path: events, body: () => JSON.stringify({ events: [{ type: "user.tool_confirmation", tool_use_id: toolUseLikeId, result: "allow" }] }), status: 400, message: /tool_use_id/ },
  { name: "a custom tool result for nothing", method: "POST", path: events, body: () => JSON.stringify({ events: [{ type: "user.custom_tool_result", custom_tool_use_id: toolUseLikeId }] }), status: 400, message: /custom_tool_use_id/ },
  { name: "a system message that is not last", method: "POST", path: events, body: send([text("a"), { type: "system.message", content: [{ type: "text", text: "s" }] }, text("b")]), status: 400, message: /system\.message/ },
  { name: "two good events and a bad one", method: "POST", path: events, body: send([text("one"), text("two"), { type: "user.message", content: [{ type: "text" }] }]), status: 400, message: /events\[2\]/ },
  { name: "a self-hosted tool result", method: "POST", path: events, body: send([{ type: "user.tool_result", tool_use_id: "sevt_x" }]), status: 400, message: /self-hosted/ },
  { name: "events for an unknown session", method: "POST", path: () => "/v1/sessions/sesn_01ABCDEFGHJKMNPQRSTVWXYZ00/events", body: send([text("hi")]), status: 404 },
  { name: "a message of 5 MiB", method: "POST", path: events, body: send([text("x".repeat(5 * 1024 * 1024))]), status: 413 },
  { name: "an unknown field on an event", method: "POST", path: events, body: send([{ ...text("x"), mood: "happy" }]), status: 400, message: /mood/ },
];

async function snapshot() {
  const agents = (await client.beta.agents.list({ limit: 100 } as never)).data.map((a) => a.id);
  const environments = (await client.beta.environments.list({ limit: 100 } as never)).data.map((e) => e.id);
  const sessions = (await client.beta.sessions.list({ limit: 100, include_archived: true } as never)).data.map((s) => s.id);
  const log = (await client.beta.sessions.events.list(sessionId, { limit: 1000 } as never)).data.map((e) => e.id);
  const session = await client.beta.sessions.retrieve(sessionId);
  return { agents, environments, sessions, log, title: session.title, metadata: session.metadata };
}

describe("bad input", () => {
  it(`answers each of ${CASES.length} malformed requests with the right 4xx and writes nothing`, async () => {
    expect(CASES.length).toBeGreaterThanOrEqual(40);
    const before = await snapshot();
    const failures: string[] = [];
    for (const c of CASES) {
      const body = c.body?.();
      const response = await fetch(`${app.url}${c.path()}`, {
        method: c.method,
        headers: { "x-api-key": app.apiKey, "content-type": "application/json", "anthropic-version": "2023-06-01" },
        body,
      });
      const text = await response.text();
      let envelope: { type?: string; error?: { type?: string; message?: string }; request_id?: string } = {};
      try {
        envelope = JSON.parse(text);
      } catch {
        // reported below
      }
      const problems = [
        response.status !== c.status && `status ${response.status}, expected ${c.status}`,
        envelope.type !== "error" && `not an error envelope: ${text.slice(0, 200)}`,
        c.type && envelope.error?.type !== c.type && `error.type ${envelope.error?.type}, expected ${c.type}`,
        c.message && !c.message.test(envelope.error?.message ?? "") && `message "${envelope.error?.message}" does not match ${c.message}`,
        !envelope.request_id?.startsWith("req_") && "no request_id",
        response.headers.get("content-type") !== "application/json" && "not application/json",
      ].filter(Boolean);
      if (problems.length > 0) failures.push(`${c.name}: ${problems.join("; ")}`);
    }
    expect(failures).toEqual([]);
    expect(await snapshot()).toEqual(before);
  });

  it("accepts unicode edge cases that are valid", async () => {
    const name = "Ünïcödé 👩‍👩‍👧 עברית \u200b agent";
    const agent = await client.beta.agents.create({ name, model: "claude-test", metadata: { "ключ": "值 ✓" } } as never);
    expect((await client.beta.agents.retrieve(agent.id)).name).toBe(name);
    const sent = await client.beta.sessions.events.send(sessionId, { events: [{ type: "user.message", content: [{ type: "text", text: "emoji 🎉 and RTL שלום" }] }] });
    expect(sent.data?.[0]).toMatchObject({ content: [{ text: "emoji 🎉 and RTL שלום" }] });
  });
});
