import type { TEventBody, TEventOf, TStopReason, TStoredEvent } from "./events";
import { addModelRequest, sideRequestOf, ZERO_USAGE, type TSessionStatus, type TSessionUsage } from "./fold";

/**
 * Threads of a multi-agent session, as folds of its one log (reference §2.7). Every session has a
 * primary thread; a coordinator starts child threads (`session.thread_created`). An event belongs to
 * the thread its `session_thread_id` names, and to the primary thread when it names none.
 */
export const SESSION_THREAD_PREFIX = "sthr_";

/**
 * The primary thread's id, derived from the session's (`sesn_X` → `sthr_X`). Decision: derived
 * rather than stored, so every session has one, those created before threads existed included, and
 * no event or column is needed to know it.
 */
export function primaryThreadId(sessionId: string): string {
  return SESSION_THREAD_PREFIX + sessionId.slice(sessionId.indexOf("_") + 1);
}

/** The thread an event belongs to (see above). */
export function threadOf(body: TEventBody, primaryId: string): string {
  const tagged = (body as { session_thread_id?: string }).session_thread_id;
  return tagged ?? primaryId;
}

/** An inline agent's definition, as its `session.thread_created` carries it (not saved). */
export type TInlineAgent = NonNullable<TEventOf<"session.thread_created">["inline_agent"]>;

/** A thread's state, folded from the log. */
export type TThreadState = {
  id: string;
  /** null for the primary thread */
  parentThreadId: string | null;
  /**
   * The roster agent a child runs (for an inline agent: the agent that defined it, and `inline`,
   * the definition it runs); null for the primary thread (it runs the session's agent).
   */
  agent: { id: string; version: number; name: string; inline?: TInlineAgent } | null;
  status: TSessionStatus;
  stopReason: TStopReason | null;
  usage: TSessionUsage;
  /** Whether the thread has gone idle once (the SDK's `usage` is null until then). */
  idledOnce: boolean;
  /** Whether its status ever changed (the SDK's `stats` is null until then). */
  started: boolean;
  createdAt: string | null;
  updatedAt: string | null;
  archivedAt: string | null;
  /** Seq of the thread's latest event (0 when none). */
  lastSeq: number;
};

function newThread(id: string, parentThreadId: string | null, agent: TThreadState["agent"]): TThreadState {
  return { id, parentThreadId, agent, status: "idle", stopReason: null, usage: ZERO_USAGE, idledOnce: false, started: false, createdAt: null, updatedAt: null, archivedAt: null, lastSeq: 0 };
}

/**
 * Every thread of the session, the primary first, then the children in the order they were created.
 * The primary thread's status is the session's (`session.status_*`); a child's comes from its
 * `session.thread_status_*` events. Usage is summed per thread as the session sums it.
 */
export function foldThreads(sessionId: string, events: ReadonlyArray<Pick<TStoredEvent, "seq" | "body" | "createdAt">>): TThreadState[] {
  const primaryId = primaryThreadId(sessionId);
  const threads = initialThreads(primaryId);
  for (const event of events) applyThreadEvent(threads, primaryId, event);
  return [...threads.values()];
}

/** The threads before any event: the primary one, named `primaryId`. */
export function initialThreads(primaryId: string): Map<string, TThreadState> {
  return new Map([[primaryId, newThread(primaryId, null, null)]]);
}

/**
 * One step of `foldThreads`: `event` applied to `threads` (the map, and the state of the thread it
 * belongs to, are updated in place), for a view that folds the log batch by batch.
 */
export function applyThreadEvent(threads: Map<string, TThreadState>, primaryId: string, event: Pick<TStoredEvent, "seq" | "body" | "createdAt">): void {
  const body = event.body;
  if (body.type === "session.thread_created" && !threads.has(body.session_thread_id)) {
    const agent = { id: body.agent_id, version: body.agent_version, name: body.agent_name, ...(body.inline_agent ? { inline: body.inline_agent } : {}) };
    threads.set(body.session_thread_id, newThread(body.session_thread_id, body.parent_thread_id, agent));
  }
  const thread = threads.get(threadOf(body, primaryId));
  if (!thread) return;
  thread.createdAt ??= event.createdAt;
  thread.updatedAt = event.createdAt;
  thread.lastSeq = event.seq;
  if (thread.status === "terminated") return;
  const primary = thread.id === primaryId;
  switch (body.type) {
    case "session.status_running":
    case "session.thread_status_running":
      if (primary === (body.type === "session.status_running")) Object.assign(thread, { status: "running", stopReason: null, started: true });
      break;
    case "session.status_idle":
    case "session.thread_status_idle":
      if (primary === (body.type === "session.status_idle")) Object.assign(thread, { status: "idle", stopReason: body.stop_reason, started: true, idledOnce: true });
      break;
    case "session.status_rescheduled":
    case "session.thread_status_rescheduled":
      if (primary === (body.type === "session.status_rescheduled")) Object.assign(thread, { status: "rescheduling", started: true });
      break;
    case "session.status_terminated":
    case "session.thread_status_terminated":
      if (primary === (body.type === "session.status_terminated")) Object.assign(thread, { status: "terminated", started: true });
      break;
    case "span.model_request_end":
      thread.usage = addModelRequest(thread.usage, body);
      break;
    case "span.thread_archived":
      thread.archivedAt ??= event.createdAt;
      break;
    default: {
      const side = sideRequestOf(body);
      if (side) thread.usage = addModelRequest(thread.usage, side);
      break;
    }
  }
}
