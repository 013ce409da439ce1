import "server-only";
import { context, SpanStatusCode, trace, type Span, type Tracer } from "@opentelemetry/api";
import {
  ATTR_GEN_AI_AGENT_ID,
  ATTR_GEN_AI_AGENT_NAME,
  ATTR_GEN_AI_AGENT_VERSION,
  ATTR_GEN_AI_CONVERSATION_ID,
  ATTR_GEN_AI_OPERATION_NAME,
  ATTR_GEN_AI_PROVIDER_NAME,
} from "@opentelemetry/semantic-conventions/incubating";
import { ATTR_ERROR_TYPE } from "@opentelemetry/semantic-conventions";
import type { TEventBody } from "@/lib/event-log/events";
import type { SessionStore } from "@/lib/event-log/session-store";
import { ATTR_SESSION_THREAD_ID, ATTR_TURN_STEPS } from "./attributes";
import { withThread } from "./thread-context";

/** A coordinator's child thread, as the harness names the one a step is for (`THarnessDeps.threadStep`). */
export type TTracedThread = { id: string; agent: { id: string; version: number; name: string } };
type TOpenThread = { span: Span; steps: number };

/**
 * The child threads of a coordinator's session, as spans: each turn of a thread (from its first
 * step until the harness appends its `session.thread_status_idle` or `_terminated`) is an
 * `invoke_agent <agent>` span, like a session's turn, naming the thread (`ATTR_SESSION_THREAD_ID`).
 * Decision: its parent is the coordinator's turn span, the context its steps are started from; the
 * coordinator's `start_thread` call has no span of its own (it is answered in the append that
 * creates the thread, without a tool execution). The thread's steps run with its span active, so
 * its model requests (`chat`) and tool calls (`execute_tool`) are its children, and the context
 * names the thread (thread-context.ts), so sandbox work finds its own thread's call. A thread resumed
 * by another worker after a crash gets a new span under that worker's turn.
 */
export class ThreadSpans {
  private readonly sessions = new Map<string, Map<string, TOpenThread>>();

  constructor(private readonly tracer: Tracer) {}

  /** Runs a step of `thread` under its span, opening the span when the thread's turn begins. */
  run<T>(sessionId: string, thread: TTracedThread, step: () => Promise<T>): Promise<T> {
    let threads = this.sessions.get(sessionId);
    if (!threads) this.sessions.set(sessionId, (threads = new Map()));
    let open = threads.get(thread.id);
    if (!open) {
      const attributes = {
        [ATTR_GEN_AI_OPERATION_NAME]: "invoke_agent",
        [ATTR_GEN_AI_PROVIDER_NAME]: "anthropic",
        [ATTR_GEN_AI_CONVERSATION_ID]: sessionId,
        [ATTR_GEN_AI_AGENT_ID]: thread.agent.id,
        [ATTR_GEN_AI_AGENT_NAME]: thread.agent.name,
        [ATTR_GEN_AI_AGENT_VERSION]: String(thread.agent.version),
        [ATTR_SESSION_THREAD_ID]: thread.id,
      };
      open = { span: this.tracer.startSpan(`invoke_agent ${thread.agent.name}`, { attributes }, context.active()), steps: 0 };
      threads.set(thread.id, open);
    }
    const current = open;
    current.steps++;
    return context.with(withThread(trace.setSpan(context.active(), current.span), thread.id), async () => {
      try {
        return await step();
      } catch (error) {
        const type = error instanceof Error ? error.name : "_OTHER";
        current.span.setAttribute(ATTR_ERROR_TYPE, type);
        current.span.setStatus({ code: SpanStatusCode.ERROR, message: type });
        this.end(sessionId, thread.id);
        throw error;
      }
    });
  }

  /**
   * The coordinator's turn is over: a thread's span still open ends with it (the thread waits, for
   * a self-hosted worker, or the wake stopped; the turn's span tells which).
   */
  endTurn(sessionId: string): void {
    for (const threadId of [...(this.sessions.get(sessionId)?.keys() ?? [])]) this.end(sessionId, threadId);
    this.sessions.delete(sessionId);
  }

  /** The session log, ending a thread's span when the harness appends the end of its turn. */
  observe(store: SessionStore): SessionStore {
    return {
      createSession: (input) => store.createSession(input),
      getSession: (id) => store.getSession(id),
      getEvents: (id, query) => store.getEvents(id, query),
      appendEvents: async (sessionId, events, options) => {
        const result = await store.appendEvents(sessionId, events, options);
        if (this.sessions.has(sessionId)) for (const body of events as readonly TEventBody[]) if (body.type === "session.thread_status_idle" || body.type === "session.thread_status_terminated") this.end(sessionId, body.session_thread_id);
        return result;
      },
    };
  }

  private end(sessionId: string, threadId: string): void {
    const threads = this.sessions.get(sessionId);
    const open = threads?.get(threadId);
    if (!open) return;
    threads!.delete(threadId);
    open.span.setAttribute(ATTR_TURN_STEPS, open.steps);
    open.span.end();
  }
}
