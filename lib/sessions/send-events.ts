import { z } from "zod";
import { parseWith } from "@/lib/resource/parse";
import { AppError } from "@/lib/errors";
import { toWireEvent, type TEventBody } from "@/lib/event-log/events";
import type { SessionStore, TSessionRecord } from "@/lib/event-log/session-store";
import { findTeamSession } from "./find-team-session";
import { validateClientEvents } from "./validate-client-events";

const ZSendEventsSchema = z.strictObject({ events: z.array(z.unknown()).min(1).max(100) });

const REPLY_TO: Record<string, { field: string; answers: string[] }> = {
  "user.tool_confirmation": { field: "tool_use_id", answers: ["agent.tool_use", "agent.mcp_tool_use"] },
  "user.custom_tool_result": { field: "custom_tool_use_id", answers: ["agent.custom_tool_use"] },
};
const TOOL_USE_TYPES = ["agent.tool_use", "agent.mcp_tool_use", "agent.custom_tool_use"] as const;

/**
 * Sends client events to a session (`POST /v1/sessions/{id}/events`): checked first
 * (`validateClientEvents`; the whole request is refused, nothing written, if one event is bad), a
 * confirmation or a custom tool result only for a tool use of this session. The events are appended
 * and the session is queued for a harness in the same transaction; `onWake` tells an in-process
 * worker to look now.
 */
export async function sendEvents(deps: { store: SessionStore; onWake?: () => void }, options: { teamId: string; sessionId: string; body: unknown }) {
  const { events } = parseWith(ZSendEventsSchema, options.body);
  const session = await findTeamSession(deps.store, options.teamId, options.sessionId);
  if (session.archivedAt) throw new AppError("invalid_request", `session ${session.id} is archived: it accepts no new events`);
  if (session.state.status === "terminated") throw new AppError("invalid_request", `session ${session.id} is terminated`);
  return appendClientEvents(deps, session, validateClientEvents(events));
}

/**
 * Appends events already checked by `validateClientEvents` (the edge's one validation: callers
 * that have the bodies, like `createSession` with its initial events, do not check them again).
 *
 * Decision: the store validates every append again (`validateAppend`) and that stays: it is the
 * floor's guarantee for every writer (the harness, self-hosted hands, scripts), it keeps both
 * stores refusing exactly the same input, and it is cheap beside the append's round trip (~0.13 ms
 * for 100 events measured here, against ~1 ms for an append on PostgreSQL).
 *
 * A reply is checked against its target alone: one read of the events with the replies' ids among
 * the tool uses, however long the log (at most as many events as there are replies).
 */
export async function appendClientEvents(deps: { store: SessionStore; onWake?: () => void }, session: TSessionRecord, bodies: TEventBody[]) {
  const replies = bodies.flatMap((body, i) => (REPLY_TO[body.type] ? [{ i, event: body as unknown as Record<string, unknown>, rule: REPLY_TO[body.type]! }] : []));
  if (replies.length > 0) {
    const targets = [...new Set(replies.map(({ event, rule }) => String(event[rule.field])))]; // validated as ids by the schema
    const uses = await deps.store.getEvents(session.id, { types: TOOL_USE_TYPES, ids: targets, limit: targets.length });
    for (const { i, event, rule } of replies) {
      const target = String(event[rule.field]);
      if (!uses.some((u) => u.id === target && rule.answers.includes(u.body.type))) {
        throw new AppError("invalid_request", `events[${i}].${rule.field}: no ${rule.answers.join(" or ")} ${target.slice(0, 64)} in this session`);
      }
    }
  }

  const result = await deps.store.appendEvents(session.id, bodies, { wake: true });
  deps.onWake?.();
  return { data: result.events.map(toWireEvent) };
}
