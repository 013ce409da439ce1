import { context, propagation, ROOT_CONTEXT, SpanStatusCode, trace, TraceFlags } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { W3CTraceContextPropagator } from "@opentelemetry/core";
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from "@opentelemetry/sdk-trace-base";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InMemorySessionStore } from "@/lib/event-log/in-memory-session-store";
import { InMemoryWorkQueue } from "@/lib/harness/in-memory-work-queue";
import { SandboxPool } from "@/lib/harness/sandbox-pool";
import type { THarnessDeps } from "@/lib/harness/wake-context";
import { wake } from "@/lib/harness/wake";
import { WakeStoppedError } from "@/lib/harness/wake-context";
import { ScriptedModelClient, textTurn, toolUseTurn } from "@/lib/model/scripted-model-client";
import { InMemoryMcpConnector, staticMcpCredentials } from "@/lib/mcp/in-memory-connector";
import { FakeSandboxProvider } from "@/lib/sandbox/fake";
import { harnessTelemetry } from "@/lib/telemetry/harness-telemetry";
import type { TModelRequest } from "@/lib/model/types";
import { IN_MEMORY_PREREQS, newSessionInput } from "@/tests/fixtures/seed";
import { echoTool, GITHUB_TOKEN, GITHUB_URL } from "@/tests/unit/mcp/mcp-fixture";

/**
 * The harness's traces, made by the decorators of lib/telemetry around the in-memory log, a
 * scripted model and a fake sandbox: one turn with two tool calls, exported to memory.
 */

const USER_TEXT = "list the files please";
const ANSWER_TEXT = "There are two files.";
const CALLER = { traceId: "0af7651916cd43dd8448eb211c80319c", spanId: "b7ad6b7169203331" };

let contextManager: AsyncLocalStorageContextManager;
beforeAll(() => {
  contextManager = new AsyncLocalStorageContextManager().enable();
  context.setGlobalContextManager(contextManager);
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
});
afterAll(() => {
  context.disable();
  propagation.disable();
});

/** What a command that fetches a page sends out through the sandbox's egress proxy, as the proxy tells it. */
const EGRESS = { method: "GET", scheme: "https", host: "api.example.com", port: 443, intercepted: true } as const;

async function runTurn(options: { captureContent: boolean; caller?: boolean; mcp?: boolean }) {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const tracing = harnessTelemetry({ tracing: { tracer: provider.getTracer("test"), captureContent: options.captureContent } });
  const api = tracing.log(new InMemorySessionStore({ workQueue: new InMemoryWorkQueue() }));
  const sandbox: FakeSandboxProvider = new FakeSandboxProvider({
    exec: (command) => {
      if (command.startsWith("exit")) return { exitCode: 3, stderr: "failed\n" };
      if (command.startsWith("curl")) {
        // the request leaves through the proxy the sandbox was provisioned with, while the command runs
        const done = sandbox.provisionCalls.at(-1)?.egressObserver?.(EGRESS);
        done?.({ status: 200, requestBytes: 0, responseBytes: 1_234, error: null });
        return { exitCode: 0, stdout: "{}" };
      }
      return { exitCode: 0, stdout: "a.txt\nb.txt\n" };
    },
  });
  const model = new ScriptedModelClient([
    ...(options.mcp ? [toolUseTurn("github__create_issue", { title: "Bug" }), toolUseTurn("bash", { command: "curl https://api.example.com/v1/items?key=abc" })] : []),
    toolUseTurn("bash", { command: "ls /workspace" }),
    { ...toolUseTurn("bash", { command: "exit 3" }), usage: { input_tokens: 40, output_tokens: 7 } },
    { ...textTurn(ANSWER_TEXT), usage: { input_tokens: 55, output_tokens: 9, cache_read_input_tokens: 30 } },
  ]);
  const deps: THarnessDeps = {
    store: tracing.store(api),
    model: tracing.model(model),
    sandboxes: new SandboxPool(tracing.providers({ forEnvironment: () => sandbox, shutdown: async () => {} })),
    ...(options.mcp ? { mcp: { connector: new InMemoryMcpConnector({ [GITHUB_URL]: { tools: [echoTool] } }), credentials: staticMcpCredentials({ [GITHUB_URL]: GITHUB_TOKEN }) } } : {}),
  };
  const mcp = options.mcp ? { tools: [{ type: "agent_toolset_20260401" }, { type: "mcp_toolset", mcp_server_name: "github" }], mcp_servers: [{ type: "url", name: "github", url: GITHUB_URL }] } : {};
  const agentSnapshot = { type: "agent", id: "agent_traced", version: 2, name: "tracer", model: { id: "claude-trace-model" }, system: "Be brief.", tools: [{ type: "agent_toolset_20260401" }], ...mcp };
  const session = await api.createSession(newSessionInput(IN_MEMORY_PREREQS, { agentSnapshot }));
  const send = () => api.appendEvents(session.id, [{ type: "user.message", content: [{ type: "text", text: USER_TEXT }] }], { wake: true });
  const callerContext = trace.setSpanContext(ROOT_CONTEXT, { ...CALLER, traceFlags: TraceFlags.SAMPLED, isRemote: true });
  await (options.caller ? context.with(callerContext, send) : send());
  await tracing.wake(wake)(session.id, deps);
  await provider.forceFlush();
  return { spans: exporter.getFinishedSpans(), session };
}

const named = (spans: ReadableSpan[], prefix: string) => spans.filter((s) => s.name.startsWith(prefix));
const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId;

describe("harness traces", () => {
  it("make one turn the parent of its model requests and tool calls, with the GenAI attributes", async () => {
    const { spans, session } = await runTurn({ captureContent: false });
    const [turn] = named(spans, "invoke_agent");
    expect(named(spans, "invoke_agent")).toHaveLength(1);
    expect(turn!.name).toBe("invoke_agent tracer");
    expect(parentOf(turn!)).toBeUndefined(); // no caller: a trace of its own
    expect(turn!.attributes).toMatchObject({
      "gen_ai.operation.name": "invoke_agent",
      "gen_ai.conversation.id": session.id,
      "gen_ai.agent.name": "tracer",
      "managed_agents.environment.id": session.environmentId,
    });

    const chats = named(spans, "chat ");
    expect(chats.map((s) => s.name)).toEqual(["chat claude-trace-model", "chat claude-trace-model", "chat claude-trace-model"]);
    for (const chat of chats) expect(parentOf(chat)).toBe(turn!.spanContext().spanId);
    expect(chats[1]!.attributes).toMatchObject({
      "gen_ai.operation.name": "chat",
      "gen_ai.system": "anthropic",
      "gen_ai.provider.name": "anthropic",
      "gen_ai.request.model": "claude-trace-model",
      "gen_ai.response.model": "claude-trace-model",
      "gen_ai.usage.input_tokens": 40,
      "gen_ai.usage.output_tokens": 7,
      "gen_ai.response.finish_reasons": ["tool_use"],
    });
    expect(chats[2]!.attributes).toMatchObject({ "gen_ai.response.finish_reasons": ["end_turn"], "gen_ai.usage.cache_read.input_tokens": 30 });

    const tools = named(spans, "execute_tool");
    expect(tools.map((s) => s.name)).toEqual(["execute_tool bash", "execute_tool bash"]);
    for (const tool of tools) {
      expect(parentOf(tool)).toBe(turn!.spanContext().spanId);
      expect(tool.attributes).toMatchObject({ "gen_ai.operation.name": "execute_tool", "gen_ai.tool.name": "bash", "managed_agents.environment.id": session.environmentId });
    }
    expect(tools[0]!.attributes).toMatchObject({ "process.exit.code": 0, "managed_agents.tool.is_error": false });
    expect(tools[1]!.attributes).toMatchObject({ "process.exit.code": 3, "managed_agents.tool.is_error": true });
    expect(tools[1]!.status.code).toBe(SpanStatusCode.ERROR);

    const [provision] = named(spans, "sandbox.provision");
    expect(named(spans, "sandbox.provision")).toHaveLength(1);
    expect(parentOf(provision!)).toBe(tools[0]!.spanContext().spanId);
    const execs = named(spans, "sandbox.exec");
    expect(execs.map(parentOf)).toEqual(tools.map((t) => t.spanContext().spanId));
    for (const span of spans) expect(span.spanContext().traceId).toBe(turn!.spanContext().traceId);
  });

  it("record no prompt, output or command unless content capture is on", async () => {
    const quiet = JSON.stringify((await runTurn({ captureContent: false })).spans.map((s) => [s.name, s.attributes, s.events]));
    for (const text of [USER_TEXT, ANSWER_TEXT, "ls /workspace", "a.txt", "Be brief."]) expect(quiet).not.toContain(text);

    const captured = (await runTurn({ captureContent: true })).spans;
    const chats = named(captured, "chat ");
    expect(String(chats[0]!.attributes["gen_ai.input.messages"])).toContain(USER_TEXT);
    expect(String(chats[0]!.attributes["gen_ai.system_instructions"])).toContain("Be brief.");
    expect(String(chats[2]!.attributes["gen_ai.output.messages"])).toContain(ANSWER_TEXT);
    expect(String(named(captured, "execute_tool")[0]!.attributes["gen_ai.tool.call.arguments"])).toContain("ls /workspace");
  });

  it("make an MCP tool call an execute_tool span naming its server, and each request a command sends out a span under its call", async () => {
    const { spans } = await runTurn({ captureContent: false, mcp: true });
    const [turn] = named(spans, "invoke_agent");
    const tools = named(spans, "execute_tool");
    expect(tools.map((s) => s.name)).toEqual(["execute_tool create_issue", "execute_tool bash", "execute_tool bash", "execute_tool bash"]);
    const [issue, fetch] = tools;
    expect(parentOf(issue!)).toBe(turn!.spanContext().spanId);
    expect(issue!.attributes).toMatchObject({
      "gen_ai.operation.name": "execute_tool",
      "gen_ai.tool.name": "create_issue",
      "gen_ai.tool.type": "extension",
      "managed_agents.mcp.server.name": "github",
      "mcp.method.name": "tools/call",
      "managed_agents.tool.is_error": false,
    });
    expect(fetch!.attributes["managed_agents.mcp.server.name"]).toBeUndefined();

    const egress = named(spans, "egress.request");
    expect(egress).toHaveLength(1);
    expect(parentOf(egress[0]!)).toBe(fetch!.spanContext().spanId);
    expect(egress[0]!.attributes).toEqual({
      "http.request.method": "GET",
      "url.scheme": "https",
      "server.address": "api.example.com",
      "server.port": 443,
      "managed_agents.egress.intercepted": true,
      "http.request.body.size": 0,
      "http.response.body.size": 1_234,
      "http.response.status_code": 200,
    });
    // no URL, path or query (where a secret may ride), no token
    const everything = JSON.stringify(spans.map((s) => [s.name, s.attributes, s.events]));
    for (const text of ["/v1/items", "key=abc", GITHUB_TOKEN, "Bug"]) expect(everything).not.toContain(text);
  });

  it("continue the trace of the request whose append woke the session", async () => {
    const { spans } = await runTurn({ captureContent: false, caller: true });
    const [turn] = named(spans, "invoke_agent");
    expect(turn!.spanContext().traceId).toBe(CALLER.traceId);
    expect(parentOf(turn!)).toBe(CALLER.spanId);
    expect(new Set(spans.map((s) => s.spanContext().traceId))).toEqual(new Set([CALLER.traceId]));
  });

  it("make each turn of a coordinator's thread an invoke_agent span under the coordinator's turn, parent of the thread's requests and tool calls", async () => {
    const { spans, session } = await runCoordinator();
    const turns = named(spans, "invoke_agent");
    expect(turns.map((s) => s.name).sort()).toEqual(["invoke_agent lead", "invoke_agent researcher"]);
    const lead = turns.find((s) => s.name === "invoke_agent lead")!;
    const thread = turns.find((s) => s.name === "invoke_agent researcher")!;
    expect(parentOf(thread)).toBe(lead.spanContext().spanId);
    expect(thread.attributes).toMatchObject({
      "gen_ai.operation.name": "invoke_agent",
      "gen_ai.conversation.id": session.id,
      "gen_ai.agent.id": "agent_researcher",
      "gen_ai.agent.name": "researcher",
      "gen_ai.agent.version": "3",
      "managed_agents.session_thread.id": expect.stringMatching(/^sthr_/),
    });
    expect(thread.attributes["managed_agents.turn.steps"]).toBeGreaterThanOrEqual(4);

    // the thread's two model requests and its command under it; the coordinator's three under its turn
    const chats = named(spans, "chat ");
    expect(chats.filter((c) => parentOf(c) === thread.spanContext().spanId)).toHaveLength(2);
    expect(chats.filter((c) => parentOf(c) === lead.spanContext().spanId)).toHaveLength(3);
    const tools = named(spans, "execute_tool");
    expect(tools.map((t) => [t.name, parentOf(t)])).toEqual([["execute_tool bash", thread.spanContext().spanId]]);
    const everything = JSON.stringify(spans.map((s) => [s.name, s.attributes, s.events]));
    for (const text of ["Find X.", "X is 42.", "echo 42"]) expect(everything).not.toContain(text);
  });

  it("give a thread resumed by the next wake (after the first stopped) a span in that wake's trace", async () => {
    const { spans } = await runCoordinator({ stopInThread: true });
    const turns = named(spans, "invoke_agent");
    const leads = turns.filter((s) => s.name === "invoke_agent lead");
    expect(leads).toHaveLength(2);
    const [first, second] = leads;
    expect(first!.spanContext().traceId).not.toBe(second!.spanContext().traceId);
    const threads = turns.filter((s) => s.name === "invoke_agent researcher");
    expect(threads.map(parentOf)).toEqual([first!.spanContext().spanId, second!.spanContext().spanId]);
    const resumed = threads[1]!;
    expect(resumed.spanContext().traceId).toBe(second!.spanContext().traceId);
    // the resumed thread runs the command its first request asked for, then asks again: under its new span
    expect(named(spans, "execute_tool").map(parentOf)).toEqual([resumed.spanContext().spanId]);
    expect(named(spans, "chat ").filter((c) => parentOf(c) === resumed.spanContext().spanId)).toHaveLength(1);
  });

  it("match each thread's sandbox work to its own tool call while the threads' calls overlap", async () => {
    const { spans } = await runTwoThreads();
    const threads = named(spans, "invoke_agent ").filter((s) => s.name !== "invoke_agent lead");
    expect(threads.map((s) => s.name).sort()).toEqual(["invoke_agent checker", "invoke_agent researcher"]);
    const tools = named(spans, "execute_tool");
    const execs = named(spans, "sandbox.exec");
    expect(tools).toHaveLength(2);
    expect(execs).toHaveLength(2);
    for (const [agent, exitCode] of [["researcher", 4], ["checker", 5]] as const) {
      const thread = threads.find((s) => s.name === `invoke_agent ${agent}`)!;
      const tool = tools.find((t) => parentOf(t) === thread.spanContext().spanId)!;
      // the call's exit status is its own command's, though the other thread's call opened after it
      expect(tool.attributes).toMatchObject({ "process.exit.code": exitCode });
      const exec = execs.find((e) => e.attributes["process.exit.code"] === exitCode)!;
      expect(parentOf(exec)).toBe(tool.spanContext().spanId);
    }
  });
});

const researcher = {
  id: "agent_researcher",
  type: "agent",
  version: 3,
  name: "researcher",
  description: null,
  system: "research",
  model: { id: "claude-trace-model" },
  tools: [{ type: "agent_toolset_20260401" }],
  mcp_servers: [],
  skills: [],
  execution_identity: { type: "service_account" },
};

/**
 * A coordinator's turn: it starts a researcher thread (which runs a command), waits for it, answers.
 * `stopInThread`: the first wake is asked to stop during the thread's first model request, and a
 * second wake resumes the session.
 */
async function runCoordinator(options: { stopInThread?: boolean } = {}) {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const tracing = harnessTelemetry({ tracing: { tracer: provider.getTracer("test"), captureContent: false } });
  const api = tracing.log(new InMemorySessionStore({ workQueue: new InMemoryWorkQueue() }));
  const stopping = new AbortController();
  const said = (request: TModelRequest) => JSON.stringify(request.messages);
  const model = new ScriptedModelClient((request) => {
    if (request.system?.[0]?.text === "research") {
      if (said(request).includes("tool_result")) return textTurn("X is 42.");
      if (options.stopInThread) stopping.abort();
      return toolUseTurn("bash", { command: "echo 42" });
    }
    if (said(request).includes("Threads settled")) return textTurn("The researcher says X is 42.");
    if (said(request).includes("Started thread")) return toolUseTurn("wait_for_threads", {});
    return toolUseTurn("start_thread", { agent: "researcher", task: "Find X." });
  });
  const deps: THarnessDeps = {
    store: tracing.store(api),
    model: tracing.model(model),
    sandboxes: new SandboxPool(tracing.providers({ forEnvironment: () => new FakeSandboxProvider({ exec: () => ({ exitCode: 0, stdout: "42\n" }) }), shutdown: async () => {} })),
    threadStep: tracing.threadStep,
  };
  const agentSnapshot = { type: "agent", id: "agent_lead", version: 1, name: "lead", model: { id: "claude-trace-model" }, system: "coordinate", tools: [{ type: "agent_toolset_20260401" }], multiagent: { type: "coordinator", agents: [researcher] } };
  const session = await api.createSession(newSessionInput(IN_MEMORY_PREREQS, { agentSnapshot }));
  await api.appendEvents(session.id, [{ type: "user.message", content: [{ type: "text", text: "What is X?" }] }], { wake: true });
  const turn = tracing.wake(wake);
  if (options.stopInThread) {
    await expect(turn(session.id, deps, { stopping: stopping.signal })).rejects.toThrow(WakeStoppedError);
  }
  await turn(session.id, deps);
  const events = await api.getEvents(session.id, { afterSeq: 0, limit: 1_000 });
  expect(events.at(-1)?.body).toMatchObject({ type: "session.status_idle" });
  await provider.forceFlush();
  return { spans: exporter.getFinishedSpans(), session };
}

/**
 * A coordinator that starts a researcher and a checker at once; each runs one command (`exit 4`,
 * `exit 5`), and neither command finishes before both have started, so both calls are open together.
 */
async function runTwoThreads() {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const tracing = harnessTelemetry({ tracing: { tracer: provider.getTracer("test"), captureContent: false } });
  const api = tracing.log(new InMemorySessionStore({ workQueue: new InMemoryWorkQueue() }));
  const said = (request: TModelRequest) => JSON.stringify(request.messages);
  const model = new ScriptedModelClient((request) => {
    const system = request.system?.[0]?.text;
    if (system === "research" || system === "check") {
      if (said(request).includes("tool_result")) return textTurn("done");
      return toolUseTurn("bash", { command: system === "research" ? "exit 4" : "exit 5" });
    }
    if (said(request).includes("Threads settled")) return textTurn("Both are done.");
    if (said(request).includes("Started thread")) return toolUseTurn("wait_for_threads", {});
    return {
      content: [
        { type: "tool_use", id: "toolu_start_researcher", name: "start_thread", input: { agent: "researcher", task: "Research." } },
        { type: "tool_use", id: "toolu_start_checker", name: "start_thread", input: { agent: "checker", task: "Check." } },
      ],
    };
  });
  let entered = 0;
  let bothEntered: () => void = () => {};
  const barrier = new Promise<void>((resolve) => (bothEntered = resolve));
  const sandbox = new FakeSandboxProvider({
    exec: async (command) => {
      if (++entered === 2) bothEntered();
      await barrier;
      return { exitCode: Number(command.split(" ")[1]) };
    },
  });
  const deps: THarnessDeps = {
    store: tracing.store(api),
    model: tracing.model(model),
    sandboxes: new SandboxPool(tracing.providers({ forEnvironment: () => sandbox, shutdown: async () => {} })),
    threadStep: tracing.threadStep,
  };
  const checker = { ...researcher, id: "agent_checker", name: "checker", system: "check" };
  const agentSnapshot = { type: "agent", id: "agent_lead", version: 1, name: "lead", model: { id: "claude-trace-model" }, system: "coordinate", tools: [{ type: "agent_toolset_20260401" }], multiagent: { type: "coordinator", agents: [researcher, checker] } };
  const session = await api.createSession(newSessionInput(IN_MEMORY_PREREQS, { agentSnapshot }));
  await api.appendEvents(session.id, [{ type: "user.message", content: [{ type: "text", text: "Go." }] }], { wake: true });
  await tracing.wake(wake)(session.id, deps);
  const events = await api.getEvents(session.id, { afterSeq: 0, limit: 1_000 });
  expect(events.at(-1)?.body).toMatchObject({ type: "session.status_idle" });
  await provider.forceFlush();
  return { spans: exporter.getFinishedSpans(), session };
}
