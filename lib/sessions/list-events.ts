import type { BetaManagedAgentsSessionEventType } from "@anthropic-ai/sdk/resources/beta/sessions/events";
import { decodeCursor, encodeCursor } from "@/lib/resource/cursor";
import { queryArray, queryEnum, queryLimit } from "@/lib/resource/query";
import { AppError } from "@/lib/errors";
import { toWireEvent, WIRE_EVENT_TYPES, type TEventType, type TStoredEvent } from "@/lib/event-log/events";
import type { SessionStore } from "@/lib/event-log/session-store";
import { findTeamSession } from "./find-team-session";

export const DEFAULT_EVENT_PAGE = 100;

/**
 * Every type the SDK's `types[]` filter may name (`BetaManagedAgentsSessionEventType`), written as a
 * record so that an SDK upgrade adding a type fails to compile here. Workflow runs are not
 * implemented, so their types match nothing; the outcome types match a session's outcomes (README,
 * "Outcomes"); the thread types match a coordinator's child
 * threads' events (README, "Multi-agent threads"). The SDK's session tool runner names the
 * `session.thread_status_*` ones in every history read, and a 400 would stop it.
 */
const SDK_FILTER_TYPES: Record<BetaManagedAgentsSessionEventType, true> = {
  "user.message": true,
  "user.interrupt": true,
  "user.tool_confirmation": true,
  "user.custom_tool_result": true,
  "user.tool_result": true,
  "user.define_outcome": true,
  "agent.custom_tool_use": true,
  "agent.message": true,
  "agent.thinking": true,
  "agent.mcp_tool_use": true,
  "agent.mcp_tool_result": true,
  "agent.tool_use": true,
  "agent.tool_result": true,
  "agent.thread_message_received": true,
  "agent.thread_message_sent": true,
  "agent.thread_context_compacted": true,
  "session.error": true,
  "session.status_rescheduled": true,
  "session.status_running": true,
  "session.status_idle": true,
  "session.status_terminated": true,
  "session.thread_created": true,
  "session.thread_status_running": true,
  "session.thread_status_idle": true,
  "session.thread_status_terminated": true,
  "session.thread_status_rescheduled": true,
  "session.updated": true,
  "session.usage": true,
  "system.message": true,
  "span.outcome_evaluation_start": true,
  "span.outcome_evaluation_end": true,
  "span.outcome_evaluation_ongoing": true,
  "span.model_request_start": true,
  "span.model_request_end": true,
  "workflow_run.created": true,
  "workflow_run.status_running": true,
  "workflow_run.status_idle": true,
  "workflow_run.status_ended": true,
  "workflow_run.error": true,
  "workflow_run.phase_started": true,
  "workflow_run.phase_ended": true,
};

function isFilterableType(type: string): boolean {
  return Object.hasOwn(SDK_FILTER_TYPES, type) || (WIRE_EVENT_TYPES as readonly string[]).includes(type);
}

/**
 * `GET /v1/sessions/{id}/events`: the log in seq order (`asc` by default), filtered by `types[]`
 * (any type the SDK knows; one this server never stores matches nothing), paged with an opaque
 * cursor holding the last seq returned; `next_page` is null on the last page.
 * The ids are the same the stream sends.
 */
export async function listEvents(
  deps: { store: SessionStore },
  options: {
    teamId: string;
    sessionId: string;
    query: URLSearchParams;
    /** Lists only these events (a work item's view: visible-to-worker.ts); pages are cut as without it, so a page may hold fewer than `limit`. */
    only?: (event: TStoredEvent) => boolean;
  },
) {
  const q = options.query;
  const limit = queryLimit(q, DEFAULT_EVENT_PAGE);
  const order = queryEnum(q, "order", ["asc", "desc"] as const, "asc");
  const requested = queryArray(q, "types");
  for (const type of requested) {
    if (!isFilterableType(type)) throw new AppError("invalid_request", `types: unknown event type "${type.slice(0, 64)}"`);
  }
  const page = q.get("page");
  const cursor = page ? decodeCursor(page) : null;
  if (cursor && (!Number.isInteger(cursor.seq) || (cursor.seq as number) < 0)) throw new AppError("invalid_request", "page: not a cursor returned by this API");
  const session = await findTeamSession(deps.store, options.teamId, options.sessionId);
  const stored = requested.filter((type) => (WIRE_EVENT_TYPES as readonly string[]).includes(type));
  if (requested.length > 0 && stored.length === 0) return { data: [], next_page: null };
  const position = cursor ? (cursor.seq as number) : undefined;
  const events = await deps.store.getEvents(session.id, {
    order,
    limit: limit + 1,
    types: (stored.length > 0 ? stored : WIRE_EVENT_TYPES) as TEventType[],
    ...(position === undefined ? {} : order === "asc" ? { afterSeq: position } : { beforeSeq: position }),
  });
  const items = events.slice(0, limit);
  const more = events.length > limit;
  return { data: (options.only ? items.filter(options.only) : items).map(toWireEvent), next_page: more ? encodeCursor({ seq: items.at(-1)!.seq }) : null };
}
