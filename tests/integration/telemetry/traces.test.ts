import { randomBytes } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import type Anthropic from "@anthropic-ai/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAppServer, type AppServer } from "@/tests/fixtures/app-server";
import { startMessagesApiServer, type MessagesApiServer, type MessagesRequest, type TTurn } from "@/tests/fixtures/messages-api";
import { startMcpTestServer, type TMcpTestServer } from "@/tests/integration/mcp/mcp-test-server";
import { sdkClient } from "@/tests/fixtures/sdk-client";
import { until } from "@/tests/fixtures/wait";
import { startOtlpReceiver, type OtlpReceiver, type TReceivedSpan } from "./otlp-receiver";

/**
 * Traces leave the real server over OTLP/HTTP to a receiver in the test, configured by nothing but
 * the standard OTEL_* variables. A session whose vault holds credentials runs a turn with two tool
 * calls (real bubblewrap sandbox, scripted Messages API, the official SDK) and a call of a real MCP
 * server's tool (its bearer token from the vault); the first command also fetches a page through the
 * sandbox's egress proxy. All of it is sent within a caller's
 * trace (`traceparent`). The turn must continue that trace, with the model requests and tool calls
 * under it and the GenAI attributes on them; and no exported byte may hold a secret or, with
 * content capture off (the default), any text of the conversation.
 */

const hex = (bytes: number) => randomBytes(bytes).toString("hex");
const MODEL_KEY = `sk-ant-model-${hex(12)}`;
const VAULT_SECRET = `vault_secret_${hex(12)}`;
const BEARER_TOKEN = `mcp_bearer_${hex(12)}`;
const USER_TEXT = `please run two commands ${hex(4)}`;
const PAGE_PATH = `/private-page-${hex(4)}?key=${hex(6)}`;
/** Echoes, then fetches a page through the egress proxy (explicitly: loopback is in NO_PROXY). */
const firstCommand = (port: number) => `echo first-output-${hex(4)}; curl -sS --fail --noproxy '' -x "$HTTP_PROXY" -o /dev/null --max-time 10 'http://127.0.0.1:${port}${PAGE_PATH}'`;
let FIRST_COMMAND = "";
const SECOND_COMMAND = `cat missing-file-${hex(4)}`;
const ANSWER_TEXT = `Both commands ran ${hex(4)}`;
const ISSUE_TITLE = `traced issue ${hex(4)}`;
const CALLER = { traceId: hex(16), spanId: hex(8) };
const METRICS_TOKEN = `metrics_${hex(12)}`;
const THREAD_TASK = `find X ${hex(4)}`;
const THREAD_COMMAND = `echo thread-output-${hex(4)}`;
const THREAD_ANSWER = `X is ${hex(4)}`;

/**
 * The coordinator's session (after the first session's scripted turns): the lead starts a thread of
 * its researcher, which runs a command and answers; the lead waits for it, then answers.
 */
function respond(request: MessagesRequest): TTurn {
  const system = JSON.stringify(request.body.system ?? "");
  const said = JSON.stringify(request.body.messages);
  if (system.includes("You research.")) return said.includes("tool_result") ? { content: [{ type: "text", text: THREAD_ANSWER }] } : { content: [{ type: "tool_use", name: "bash", input: { command: THREAD_COMMAND } }] };
  if (said.includes("Threads settled")) return { content: [{ type: "text", text: "The researcher answered." }] };
  if (said.includes("Started thread")) return { content: [{ type: "tool_use", name: "wait_for_threads", input: {} }] };
  return { content: [{ type: "tool_use", name: "start_thread", input: { agent: "Traced researcher", task: THREAD_TASK } }] };
}

describe("OpenTelemetry traces of a session turn", () => {
  let receiver: OtlpReceiver;
  let model: MessagesApiServer;
  let mcp: TMcpTestServer;
  /** The page the first command fetches: a host outside the sandbox, on loopback. */
  let page: http.Server;
  let app: AppServer;
  let client: Anthropic;
  let sessionId: string;
  let environmentId: string;
  let exported: TReceivedSpan[] | undefined;

  /** The spans, once the turn's own span (the last to end) has been exported. */
  async function spans(): Promise<TReceivedSpan[]> {
    exported ??= await until(
      "the turn's span to be exported",
      () => {
        const all = receiver.spans();
        return all.some((s) => s.name.startsWith("invoke_agent")) && all;
      },
      { timeoutMs: 15_000, intervalMs: 50, detail: () => `spans received: ${receiver.spans().map((s) => s.name).join(", ") || "none"}` },
    );
    return exported;
  }

  beforeAll(async () => {
    receiver = await startOtlpReceiver();
    page = http.createServer((_req, res) => res.writeHead(200, { "content-type": "text/plain" }).end("a page of 24 bytes, here"));
    await new Promise<void>((resolve) => page.listen(0, "127.0.0.1", resolve));
    FIRST_COMMAND = firstCommand((page.address() as AddressInfo).port);
    mcp = await startMcpTestServer({ token: BEARER_TOKEN });
    model = await startMessagesApiServer({ interChunkDelayMs: 1, respond });
    model.enqueue(
      {
        content: [
          { type: "tool_use", name: "bash", input: { command: FIRST_COMMAND } },
          { type: "tool_use", name: "issues__create_issue", input: { title: ISSUE_TITLE } },
        ],
        usage: { input_tokens: 101, output_tokens: 11 },
      },
      { content: [{ type: "tool_use", name: "bash", input: { command: SECOND_COMMAND } }], usage: { input_tokens: 202, output_tokens: 22 } },
      { content: [{ type: "text", text: ANSWER_TEXT }], usage: { input_tokens: 303, output_tokens: 33 } },
    );
    app = await startAppServer({
      env: {
        ANTHROPIC_API_KEY: MODEL_KEY,
        ANTHROPIC_BASE_URL: model.url,
        VAULT_KEY: randomBytes(32).toString("base64"),
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
        OTEL_EXPORTER_OTLP_PROTOCOL: "http/json",
        OTEL_SERVICE_NAME: "oma-traces-test",
        OTEL_BSP_SCHEDULE_DELAY: "100",
        METRICS_TOKEN,
        // the MCP server of the test listens on loopback, which MCP connections refuse by default
        EGRESS_ALLOW_PRIVATE_ADDRESSES: "true",
      },
    });
    client = sdkClient(app).client;

    const vault = await client.beta.vaults.create({ display_name: "traced" });
    await client.beta.vaults.credentials.create(vault.id, {
      display_name: "an API",
      auth: { type: "environment_variable", secret_name: "TRACED_KEY", secret_value: VAULT_SECRET, networking: { type: "limited", allowed_hosts: ["api.example.com"] }, injection_location: { header: true } },
    } as never);
    await client.beta.vaults.credentials.create(vault.id, { auth: { type: "static_bearer", mcp_server_url: mcp.url, token: BEARER_TOKEN } } as never);
    const environment = await client.beta.environments.create({ name: "traced env" });
    environmentId = environment.id;
    const agent = await client.beta.agents.create({ name: "Traced agent", model: "claude-traced-model", system: "Answer briefly.", tools: [{ type: "agent_toolset_20260401" }, { type: "mcp_toolset", mcp_server_name: "issues" }], mcp_servers: [{ type: "url", name: "issues", url: mcp.url }] } as never);
    sessionId = (await client.beta.sessions.create({ agent: agent.id, environment_id: environment.id, vault_ids: [vault.id] })).id;

    await client.beta.sessions.events.send(
      sessionId,
      { events: [{ type: "user.message", content: [{ type: "text", text: USER_TEXT }] }] },
      { headers: { traceparent: `00-${CALLER.traceId}-${CALLER.spanId}-01` } },
    );
    await until(
      "the turn to end",
      async () => {
        const events = [];
        for await (const event of client.beta.sessions.events.list(sessionId, { limit: 100 })) events.push(event);
        return events.at(-1)?.type === "session.status_idle" && events.some((e) => e.type === "agent.message");
      },
      { timeoutMs: 60_000, intervalMs: 100 },
    );
  }, 180_000);

  afterAll(async () => {
    await app?.stop();
    await model?.close();
    await mcp?.close();
    await new Promise((resolve) => page?.close(resolve));
    await receiver?.close();
  });

  it("exports one turn that continues the caller's trace, with its model requests and tool calls under it", async () => {
    const all = await spans();
    const named = (prefix: string) => all.filter((s) => s.name.startsWith(prefix));
    const turns = named("invoke_agent");
    expect(turns.map((t) => t.name)).toEqual(["invoke_agent Traced agent"]);
    const turn = turns[0]!;
    expect(turn.traceId).toBe(CALLER.traceId);
    expect(turn.parentSpanId).toBe(CALLER.spanId);
    expect(turn.resource["service.name"]).toBe("oma-traces-test");
    expect(turn.attributes).toMatchObject({ "gen_ai.operation.name": "invoke_agent", "gen_ai.conversation.id": sessionId, "gen_ai.agent.name": "Traced agent" });

    const chats = named("chat ");
    expect(chats).toHaveLength(3);
    for (const chat of chats) expect(chat.parentSpanId).toBe(turn.spanId);
    expect(chats.map((c) => c.attributes["gen_ai.usage.input_tokens"])).toEqual([101, 202, 303]);
    expect(chats[2]!.attributes).toMatchObject({
      "gen_ai.operation.name": "chat",
      "gen_ai.system": "anthropic",
      "gen_ai.provider.name": "anthropic",
      "gen_ai.request.model": "claude-traced-model",
      "gen_ai.response.model": "claude-traced-model",
      "gen_ai.usage.output_tokens": 33,
      "gen_ai.response.finish_reasons": ["end_turn"],
    });
    expect(chats[0]!.attributes["gen_ai.response.finish_reasons"]).toEqual(["tool_use"]);

    // the MCP server's tool: a span under the turn, naming its server; the call reached the server
    const mcpCalls = named("execute_tool create_issue");
    expect(mcpCalls).toHaveLength(1);
    expect(mcpCalls[0]!.parentSpanId).toBe(turn.spanId);
    expect(mcpCalls[0]!.attributes).toMatchObject({
      "gen_ai.operation.name": "execute_tool",
      "gen_ai.tool.name": "create_issue",
      "gen_ai.tool.type": "extension",
      "managed_agents.mcp.server.name": "issues",
      "mcp.method.name": "tools/call",
      "managed_agents.tool.is_error": false,
    });
    expect(mcp.calls).toEqual([{ tool: "create_issue", input: { title: ISSUE_TITLE } }]);

    const tools = named("execute_tool bash");
    expect(tools.map((t) => t.name)).toEqual(["execute_tool bash", "execute_tool bash"]);
    for (const tool of tools) {
      expect(tool.parentSpanId).toBe(turn.spanId);
      expect(tool.attributes).toMatchObject({ "gen_ai.tool.name": "bash", "managed_agents.environment.id": expect.stringMatching(/^env_/) });
      expect(tool.endNs).toBeGreaterThan(tool.startNs);
    }
    expect(tools[0]!.attributes).toMatchObject({ "process.exit.code": 0, "managed_agents.tool.is_error": false });
    expect(tools[1]!.attributes).toMatchObject({ "process.exit.code": 1, "managed_agents.tool.is_error": true });
    expect(tools[1]!.statusCode).toBe(2); // ERROR

    // the page the first command fetched, under its call: where it went and what came back, not its path
    const egress = named("egress.request");
    expect(egress).toHaveLength(1);
    expect(egress[0]!.parentSpanId).toBe(tools[0]!.spanId);
    expect(egress[0]!.attributes).toMatchObject({
      "http.request.method": "GET",
      "url.scheme": "http",
      "server.address": "127.0.0.1",
      "server.port": (page.address() as AddressInfo).port,
      "http.response.status_code": 200,
      "http.response.body.size": 24,
      "managed_agents.egress.intercepted": false,
    });

    const provisions = named("sandbox.provision");
    expect(provisions).toHaveLength(1);
    expect(provisions[0]!.parentSpanId).toBe(tools[0]!.spanId);
    expect(provisions[0]!.attributes["managed_agents.sandbox.provider"]).toBe("local");
    for (const span of all) expect(span.traceId).toBe(CALLER.traceId);
  });

  it("serves the turn's metrics as Prometheus text at /metrics, to the metrics token only", async () => {
    expect((await fetch(`${app.url}/metrics`)).status).toBe(401);
    expect((await fetch(`${app.url}/metrics`, { headers: { authorization: `Bearer ${app.apiKey}` } })).status).toBe(401);
    const response = await fetch(`${app.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(response.status).toBe(200);
    const text = await response.text();
    /** The value of the sample of `metric` whose labels include every one of `labels`. */
    const sample = (metric: string, ...labels: string[]) => {
      const line = text.split("\n").find((l) => l.startsWith(`${metric}{`) && labels.every((label) => l.includes(label)));
      return Number(line?.split(" ").at(-1));
    };
    expect(sample("gen_ai_client_token_usage_sum", 'gen_ai_token_type="input"', 'gen_ai_request_model="claude-traced-model"'), text).toBe(606);
    expect(sample("gen_ai_client_token_usage_sum", 'gen_ai_token_type="output"')).toBe(66);
    expect(sample("gen_ai_client_operation_duration_count", 'gen_ai_response_model="claude-traced-model"')).toBe(3);
    expect(sample("managed_agents_tool_calls_total", 'gen_ai_tool_name="bash"', 'managed_agents_tool_is_error="false"'), text).toBe(1);
    expect(sample("managed_agents_tool_calls_total", 'gen_ai_tool_name="bash"', 'managed_agents_tool_is_error="true"')).toBe(1);
    expect(sample("managed_agents_sandbox_provisions_total", 'outcome="ready"', 'managed_agents_sandbox_provider="local"')).toBe(1);
    expect(sample("managed_agents_log_append_duration_count")).toBeGreaterThanOrEqual(8);
    // read at the scrape: this server's Socket.io viewers (none here)
    expect(sample("managed_agents_realtime_viewers"), text).toBe(0);
    for (const secret of [app.apiKey, MODEL_KEY, VAULT_SECRET, BEARER_TOKEN, METRICS_TOKEN, USER_TEXT]) expect(text).not.toContain(secret);
  });

  it("exports no secret and, by default, no text of the conversation in any byte", async () => {
    await spans();
    const exported = Buffer.concat(receiver.bodies).toString("utf8");
    expect(exported.length).toBeGreaterThan(1000);
    for (const secret of [app.apiKey, MODEL_KEY, VAULT_SECRET, BEARER_TOKEN, METRICS_TOKEN]) expect(exported).not.toContain(secret);
    for (const text of [USER_TEXT, FIRST_COMMAND, SECOND_COMMAND, "first-output", ANSWER_TEXT, "Answer briefly.", ISSUE_TITLE, "Created issue #42", PAGE_PATH.split("?")[0]!, PAGE_PATH.split("?")[1]!, "a page of 24 bytes"]) expect(exported).not.toContain(text);
  });

  it("makes a coordinator's thread an invoke_agent span under the coordinator's turn, with the thread's model requests and tool calls under it", async () => {
    const researcher = await client.beta.agents.create({ name: "Traced researcher", model: "claude-traced-model", system: "You research.", tools: [{ type: "agent_toolset_20260401" }] } as never);
    const lead = await client.beta.agents.create({ name: "Traced lead", model: "claude-traced-model", system: "You coordinate.", multiagent: { type: "coordinator", agents: [researcher.id] } } as never);
    const coordinated = (await client.beta.sessions.create({ agent: lead.id, environment_id: environmentId })).id;
    const caller = { traceId: hex(16), spanId: hex(8) };
    await client.beta.sessions.events.send(
      coordinated,
      { events: [{ type: "user.message", content: [{ type: "text", text: "What is X?" }] }] },
      { headers: { traceparent: `00-${caller.traceId}-${caller.spanId}-01` } },
    );
    // the coordinator's turn ends last (after its thread's), when the session goes idle
    const all = await until(
      "the coordinator's turn to be exported",
      () => {
        const mine = receiver.spans().filter((s) => s.traceId === caller.traceId);
        return mine.some((s) => s.name === "invoke_agent Traced lead") && mine;
      },
      { timeoutMs: 60_000, intervalMs: 100, detail: () => `spans received: ${receiver.spans().map((s) => s.name).join(", ")}` },
    );
    const turn = all.find((s) => s.name === "invoke_agent Traced lead")!;
    expect(turn.parentSpanId).toBe(caller.spanId);
    const threads = all.filter((s) => s.name === "invoke_agent Traced researcher");
    expect(threads).toHaveLength(1);
    const thread = threads[0]!;
    expect(thread.parentSpanId).toBe(turn.spanId);
    const [created] = (await client.beta.sessions.threads.list(coordinated)).data.filter((t) => t.parent_thread_id !== null);
    expect(thread.attributes).toMatchObject({
      "gen_ai.operation.name": "invoke_agent",
      "gen_ai.conversation.id": coordinated,
      "gen_ai.agent.id": researcher.id,
      "gen_ai.agent.name": "Traced researcher",
      "managed_agents.session_thread.id": created!.id,
    });

    const under = (parent: TReceivedSpan, prefix: string) => all.filter((s) => s.parentSpanId === parent.spanId && s.name.startsWith(prefix)).map((s) => s.name);
    expect(under(thread, "chat ")).toEqual(["chat claude-traced-model", "chat claude-traced-model"]);
    expect(under(thread, "execute_tool")).toEqual(["execute_tool bash"]);
    expect(under(turn, "chat ")).toEqual(["chat claude-traced-model", "chat claude-traced-model", "chat claude-traced-model"]);
    expect(under(turn, "execute_tool")).toEqual([]);

    const exported = Buffer.concat(receiver.bodies).toString("utf8");
    for (const text of [THREAD_TASK, THREAD_COMMAND, THREAD_ANSWER, "You research.", "thread-output"]) expect(exported).not.toContain(text);
  });
});
