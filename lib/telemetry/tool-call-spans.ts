import "server-only";
import { context, ROOT_CONTEXT, SpanStatusCode, trace, type Context, type Span, type Tracer } from "@opentelemetry/api";
import {
  ATTR_GEN_AI_CONVERSATION_ID,
  ATTR_GEN_AI_OPERATION_NAME,
  ATTR_GEN_AI_TOOL_CALL_ARGUMENTS,
  ATTR_GEN_AI_TOOL_CALL_ID,
  ATTR_GEN_AI_TOOL_CALL_RESULT,
  ATTR_GEN_AI_TOOL_NAME,
  ATTR_GEN_AI_TOOL_TYPE,
} from "@opentelemetry/semantic-conventions/incubating";
import { ATTR_ERROR_TYPE } from "@opentelemetry/semantic-conventions";
import type { TEventBody, TStoredEvent } from "@/lib/event-log/events";
import type { SessionStore, TSessionRecord, TSessionSnapshot } from "@/lib/event-log/session-store";
import { primaryThreadId } from "@/lib/event-log/threads";
import { ATTR_ENVIRONMENT_ID, ATTR_MCP_METHOD_NAME, ATTR_MCP_SERVER_NAME, ATTR_TOOL_IS_ERROR } from "./attributes";
import type { THarnessMetrics } from "./metrics";
import { threadOfContext } from "./thread-context";

/** A tool use the log holds: a built-in or custom tool's, or an MCP server's (`mcpServer`). */
type TToolUse = { name: string; input: unknown; mcpServer?: string };
type TSessionTrace = {
  environmentId?: string;
  describe?: (session: TSessionRecord) => void;
  uses: Map<string, TToolUse>;
  /** The open calls by tool use id, each with its child thread (null: the primary thread's). */
  open: Map<string, { span: Span; thread: string | null }>;
  /** When each open call started (`performance.now()`), and its tool's name. */
  started: Map<string, { at: number; name: string }>;
};

/**
 * The tool calls of the sessions this harness drives, as spans. A tool call's span is a view of the
 * log: it opens when the harness appends `span.tool_execution_start` and ends when it appends the
 * call's `agent.tool_result` or `agent.mcp_tool_result` (so its duration is the log's), named after
 * the `agent.tool_use` or `agent.mcp_tool_use` the start points at (an MCP call also names its
 * server). The sandbox's work for the call (provisioning, commands) is made a child of the
 * open call (`parentFor`), and a command's exit status is recorded on it (`recordExit`).
 * In a coordinator's session the threads share one sandbox and their calls overlap: a call belongs
 * to the thread its start names, and sandbox work finds the call of the thread whose context it runs
 * in (thread-context.ts), never another thread's.
 */
export class ToolCallSpans {
  private readonly sessions = new Map<string, TSessionTrace>();

  constructor(
    private readonly tracer: Tracer,
    private readonly captureContent: boolean,
    private readonly metrics?: THarnessMetrics,
  ) {}

  /**
   * A turn of the session begins. `describe` is told the session's record once it is known (from
   * the claim's `snapshot`, or when the wake reads it): its environment is named on each tool span.
   */
  beginTurn(sessionId: string, describe: (session: TSessionRecord) => void, snapshot?: TSessionSnapshot): void {
    const session = this.session(sessionId);
    session.describe = describe;
    if (snapshot) {
      this.describe(session, snapshot.session);
      this.learn(session, snapshot.events);
    }
  }

  /** The turn is over: a call still open was abandoned (the worker stopped, the lease was lost). */
  endTurn(sessionId: string): void {
    const session = this.sessions.get(sessionId);
    if (!session) return;
    this.sessions.delete(sessionId);
    for (const { span } of session.open.values()) {
      span.setAttribute(ATTR_ERROR_TYPE, "abandoned");
      span.setStatus({ code: SpanStatusCode.ERROR, message: "abandoned" });
      span.end();
    }
  }

  /**
   * The context of the session's open tool call, for work that does not run in a thread's context
   * (a request the sandbox sends out through the egress proxy); undefined while none is open.
   * Decision: while calls of several threads are open, a request cannot be told apart, so none.
   */
  callContext(sessionId: string): Context | undefined {
    const open = [...(this.sessions.get(sessionId)?.open.values() ?? [])];
    const threads = new Set(open.map((call) => call.thread));
    const span = threads.size === 1 ? open.at(-1)?.span : undefined;
    return span ? trace.setSpan(ROOT_CONTEXT, span) : undefined;
  }

  /** The context the sandbox's work for the open tool call of `fallback`'s thread runs under (else `fallback`). */
  parentFor(sessionId: string, fallback: Context): Context {
    const span = this.current(sessionId, threadOfContext(fallback));
    return span ? trace.setSpan(fallback, span) : fallback;
  }

  /** Records a command's exit status on the open tool call of the active context's thread. */
  recordExit(sessionId: string, attributes: Record<string, number | boolean>): void {
    this.current(sessionId, threadOfContext(context.active()))?.setAttributes(attributes);
  }

  /** The session log, opening and closing tool spans as the harness appends their events. */
  observe(store: SessionStore): SessionStore {
    return {
      createSession: (input) => store.createSession(input),
      getSession: async (id) => {
        const record = await store.getSession(id);
        const session = this.sessions.get(id);
        if (session && record) this.describe(session, record);
        return record;
      },
      getEvents: async (id, query) => {
        const events = await store.getEvents(id, query);
        const session = this.sessions.get(id);
        if (session) this.learn(session, events);
        return events;
      },
      appendEvents: async (sessionId, events, options) => {
        const bodies = events as readonly TEventBody[];
        const session = bodies.some(isToolEvent) ? this.sessions.get(sessionId) : undefined; // outside a turn (`beginTurn`), nothing
        if (session) for (const body of bodies) if (body.type === "span.tool_execution_start") this.open(sessionId, session, body.tool_use_id, childThread(sessionId, body.session_thread_id));
        const result = await store.appendEvents(sessionId, events, options);
        if (session) {
          this.learn(session, result.events);
          for (const body of bodies) {
            if (body.type === "agent.tool_result") this.close(session, body.tool_use_id, body);
            else if (body.type === "agent.mcp_tool_result") this.close(session, body.mcp_tool_use_id, body);
          }
        }
        return result;
      },
    };
  }

  private describe(session: TSessionTrace, record: TSessionRecord): void {
    session.environmentId = record.environmentId;
    session.describe?.(record);
    session.describe = undefined;
  }

  private session(sessionId: string): TSessionTrace {
    let session = this.sessions.get(sessionId);
    if (!session) this.sessions.set(sessionId, (session = { uses: new Map(), open: new Map(), started: new Map() }));
    return session;
  }

  /** The latest open call of `thread` (null: the primary thread). */
  private current(sessionId: string, thread: string | null): Span | undefined {
    const open = this.sessions.get(sessionId)?.open;
    return open ? [...open.values()].findLast((call) => call.thread === thread)?.span : undefined;
  }

  /** Remembers the tool uses among `events`, to name the calls that start later. */
  private learn(session: TSessionTrace, events: readonly TStoredEvent[]): void {
    for (const event of events) {
      if (event.body.type === "agent.tool_use") session.uses.set(event.id, { name: event.body.name, input: event.body.input });
      else if (event.body.type === "agent.mcp_tool_use") session.uses.set(event.id, { name: event.body.name, input: event.body.input, mcpServer: event.body.mcp_server_name });
    }
  }

  private open(sessionId: string, session: TSessionTrace, toolUseId: string, thread: string | null): void {
    const use = session.uses.get(toolUseId);
    const name = use?.name ?? "unknown";
    const span = this.tracer.startSpan(
      `execute_tool ${name}`,
      {
        attributes: {
          [ATTR_GEN_AI_OPERATION_NAME]: "execute_tool",
          [ATTR_GEN_AI_TOOL_NAME]: name,
          [ATTR_GEN_AI_TOOL_CALL_ID]: toolUseId,
          // an MCP server's tool runs outside this process, as an extension would (the GenAI conventions' word)
          [ATTR_GEN_AI_TOOL_TYPE]: use?.mcpServer ? "extension" : "function",
          ...(use?.mcpServer ? { [ATTR_MCP_SERVER_NAME]: use.mcpServer, [ATTR_MCP_METHOD_NAME]: "tools/call" } : {}),
          [ATTR_GEN_AI_CONVERSATION_ID]: sessionId,
          ...(session.environmentId ? { [ATTR_ENVIRONMENT_ID]: session.environmentId } : {}),
          ...(this.captureContent && use ? { [ATTR_GEN_AI_TOOL_CALL_ARGUMENTS]: JSON.stringify(use.input) } : {}),
        },
      },
      context.active(),
    );
    session.open.get(toolUseId)?.span.end();
    session.open.set(toolUseId, { span, thread });
    session.started.set(toolUseId, { at: performance.now(), name });
  }

  private close(session: TSessionTrace, toolUseId: string, result: Extract<TEventBody, { type: "agent.tool_result" | "agent.mcp_tool_result" }>): void {
    const span = session.open.get(toolUseId)?.span;
    const started = session.started.get(toolUseId);
    session.uses.delete(toolUseId);
    session.started.delete(toolUseId);
    if (!span) return;
    session.open.delete(toolUseId);
    const isError = result.is_error === true;
    if (this.metrics && started) {
      this.metrics.toolCalls.add(1, { [ATTR_GEN_AI_TOOL_NAME]: started.name, [ATTR_TOOL_IS_ERROR]: isError });
      this.metrics.toolDuration.record((performance.now() - started.at) / 1000, { [ATTR_GEN_AI_TOOL_NAME]: started.name });
    }
    span.setAttribute(ATTR_TOOL_IS_ERROR, isError);
    if (this.captureContent && result.content) span.setAttribute(ATTR_GEN_AI_TOOL_CALL_RESULT, JSON.stringify(result.content));
    if (isError) {
      span.setAttribute(ATTR_ERROR_TYPE, "tool_error");
      span.setStatus({ code: SpanStatusCode.ERROR, message: "tool_error" });
    }
    span.end();
  }
}

/** The child thread an event names; null for the primary thread (named or not). */
function childThread(sessionId: string, threadId: string | undefined): string | null {
  return threadId === undefined || threadId === primaryThreadId(sessionId) ? null : threadId;
}

function isToolEvent(body: TEventBody): boolean {
  return body.type === "span.tool_execution_start" || body.type === "agent.tool_result" || body.type === "agent.mcp_tool_result" || body.type === "agent.tool_use" || body.type === "agent.mcp_tool_use";
}
