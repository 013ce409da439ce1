import "server-only";
import type { TEventBody, TStoredEvent } from "@/lib/event-log/events";
import { threadOf } from "@/lib/event-log/threads";

/**
 * One thread's log, as the single-thread harness reads it (read-log.ts, plan-next-step.ts,
 * build-model-request.ts work on it unchanged): a lens over the session's one log.
 * - the thread's own events (`threadOf`);
 * - a `user.interrupt` naming no thread interrupts every thread; one naming a thread, that thread;
 * - a client's answer to a tool use (`user.tool_confirmation`, `user.custom_tool_result`,
 *   `user.tool_result`) goes to the thread of the tool use it answers, whatever it names;
 * - for a child thread: its `session.thread_status_*` read as `session.status_*`, the messages it
 *   receives (`agent.thread_message_received`) as `user.message`, and the session's termination.
 */
export function threadView(events: readonly TStoredEvent[], threadId: string, primaryId: string): TStoredEvent[] {
  const child = threadId !== primaryId;
  const toolUseThread = new Map<string, string>();
  const view: TStoredEvent[] = [];
  for (const event of events) {
    const body = event.body;
    const owner = threadOf(body, primaryId);
    if (body.type === "agent.tool_use" || body.type === "agent.mcp_tool_use" || body.type === "agent.custom_tool_use") toolUseThread.set(event.id, owner);
    let mine: boolean;
    switch (body.type) {
      case "user.interrupt":
        mine = body.session_thread_id == null || body.session_thread_id === threadId;
        break;
      case "user.tool_confirmation":
      case "user.tool_result":
        mine = (toolUseThread.get(body.tool_use_id) ?? owner) === threadId;
        break;
      case "user.custom_tool_result":
        mine = (toolUseThread.get(body.custom_tool_use_id) ?? owner) === threadId;
        break;
      case "session.status_terminated":
        mine = true;
        break;
      default:
        mine = owner === threadId;
    }
    if (!mine) continue;
    const read = child ? asSingleThread(body) : body;
    if (read) view.push(read === body ? event : { ...event, body: read });
  }
  return view;
}

function asSingleThread(body: TEventBody): TEventBody | null {
  switch (body.type) {
    case "session.thread_status_running":
      return { type: "session.status_running" };
    case "session.thread_status_idle":
      return { type: "session.status_idle", stop_reason: body.stop_reason, stop_details: body.stop_details ?? null };
    case "session.thread_status_rescheduled":
      return { type: "session.status_rescheduled" };
    case "session.thread_status_terminated":
      return { type: "session.status_terminated" };
    case "agent.thread_message_received":
      return { type: "user.message", content: body.content };
    default:
      return body;
  }
}

/**
 * What the coordinator's (primary) thread appends: its `session.status_*` events as they are, each
 * preceded by the same status as `session.thread_status_*` of the primary thread, as the reference
 * has it (the SDK's session runner takes the first thread-status event as the primary thread's
 * id). The session's status stays the fold of `session.status_*`; the primary thread's, too
 * (lib/event-log/threads.ts reads the twin for child threads only).
 */
export function withPrimaryThreadStatus(bodies: readonly TEventBody[], primary: { id: string; agentName: string }): TEventBody[] {
  const tag = { session_thread_id: primary.id, agent_name: primary.agentName };
  return bodies.flatMap((body): TEventBody[] => {
    switch (body.type) {
      case "session.status_running":
        return [{ type: "session.thread_status_running", ...tag }, body];
      case "session.status_idle":
        return [{ type: "session.thread_status_idle", ...tag, stop_reason: body.stop_reason, stop_details: body.stop_details ?? null }, body];
      case "session.status_rescheduled":
        return [{ type: "session.thread_status_rescheduled", ...tag }, body];
      case "session.status_terminated":
        return [{ type: "session.thread_status_terminated", ...tag }, body];
      default:
        return [body];
    }
  });
}

/** Types a child thread's loop appends that stay the session's (the shared sandbox), untagged. */
const SESSION_WIDE = new Set<TEventBody["type"]>(["span.sandbox_status"]);

/**
 * What a child thread's loop appends, written to the one log: its status as `session.thread_status_*`,
 * everything else tagged with its `session_thread_id` unless it names a thread already (the inverse
 * of `threadView`).
 */
export function toThreadEvents(bodies: readonly TEventBody[], thread: { id: string; agentName: string }): TEventBody[] {
  const tag = { session_thread_id: thread.id, agent_name: thread.agentName };
  return bodies.map((body): TEventBody => {
    switch (body.type) {
      case "session.status_running":
        return { type: "session.thread_status_running", ...tag };
      case "session.status_idle":
        return { type: "session.thread_status_idle", ...tag, stop_reason: body.stop_reason, stop_details: body.stop_details ?? null };
      case "session.status_rescheduled":
        return { type: "session.thread_status_rescheduled", ...tag };
      case "session.status_terminated":
        return { type: "session.thread_status_terminated", ...tag };
      default:
        // an event already addressed (a reply to the coordinator's thread) keeps its thread
        if (SESSION_WIDE.has(body.type) || (body as { session_thread_id?: string }).session_thread_id) return body;
        return { ...body, session_thread_id: thread.id } as TEventBody;
    }
  });
}
