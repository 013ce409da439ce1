import { z } from "zod";
import { parseWith } from "@/lib/resource/parse";
import { AppError } from "@/lib/errors";
import { toWireEvent, type TEventActor, type TEventBody } from "@/lib/event-log/events";
import { AppendRefusedError, type SessionStore, type TAppendOptions, type TSessionRecord } from "@/lib/event-log/session-store";
import { isId } from "@/lib/ids";
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
 *
 * Decision: without replies, the session is checked (this team's, not archived, not terminated) by
 * the append itself (`{ ifOpen }`, under the session's lock) instead of read first: one database
 * round trip for the whole send, on the path from a message to the model's first token. The errors
 * stay what they were, in the same order: when the events are invalid, the session is looked up
 * first, so an unknown, another team's, archived or terminated session still answers as such.
 */
export async function sendEvents(
  deps: { store: SessionStore; onWake?: () => void },
  options: {
    teamId: string;
    sessionId: string;
    body: unknown;
    /** Who sends them (the member, or the API key): recorded with the events, never in their bodies. */
    actor?: TEventActor;
  },
) {
  const { events } = parseWith(ZSendEventsSchema, options.body);
  let bodies: TEventBody[];
  try {
    bodies = validateClientEvents(events);
  } catch (error) {
    await findOpenSession(deps.store, options);
    throw error;
  }
  if (bodies.some((body) => REPLY_TO[body.type])) return appendClientEvents(deps, await findOpenSession(deps.store, options), bodies, options.actor);
  if (!isId("session", options.sessionId)) throw notFound(options.sessionId);
  try {
    return await appendAndWake(deps, options.sessionId, bodies, { ifOpen: { teamId: options.teamId }, actor: options.actor });
  } catch (error) {
    if (error instanceof AppendRefusedError) throw refusal(error);
    if (error instanceof AppError && error.code === "not_found") throw notFound(options.sessionId);
    throw error;
  }
}

async function findOpenSession(store: SessionStore, options: { teamId: string; sessionId: string }): Promise<TSessionRecord> {
  const session = await findTeamSession(store, options.teamId, options.sessionId);
  if (session.archivedAt) throw refusal(new AppendRefusedError(session.id, "archived"));
  if (session.state.status === "terminated") throw refusal(new AppendRefusedError(session.id, "terminated"));
  return session;
}

function refusal(error: AppendRefusedError): AppError {
  switch (error.reason) {
    case "other_team":
      return notFound(error.sessionId);
    case "archived":
      return new AppError("invalid_request", `session ${error.sessionId} is archived: it accepts no new events`);
    case "terminated":
      return new AppError("invalid_request", `session ${error.sessionId} is terminated`);
  }
}

/** The answer `findTeamSession` gives for a session that is not this team's. */
const notFound = (sessionId: string) => new AppError("not_found", `session ${sessionId.slice(0, 64)} not found`);

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
 * the tool uses, however long the log (at most as many events as there are replies). It is stored
 * naming the thread of the tool use it answers (`session_thread_id`), the primary thread's naming none.
 */
export async function appendClientEvents(deps: { store: SessionStore; onWake?: () => void }, session: TSessionRecord, bodies: TEventBody[], actor?: TEventActor) {
  const replies = bodies.flatMap((body, i) => (REPLY_TO[body.type] ? [{ i, event: body as unknown as Record<string, unknown>, rule: REPLY_TO[body.type]! }] : []));
  if (replies.length > 0) {
    const targets = [...new Set(replies.map(({ event, rule }) => String(event[rule.field])))]; // validated as ids by the schema
    const uses = await deps.store.getEvents(session.id, { types: TOOL_USE_TYPES, ids: targets, limit: targets.length });
    for (const { i, event, rule } of replies) {
      const target = String(event[rule.field]);
      const use = uses.find((u) => u.id === target && rule.answers.includes(u.body.type));
      if (!use) {
        throw new AppError("invalid_request", `events[${i}].${rule.field}: no ${rule.answers.join(" or ")} ${target.slice(0, 64)} in this session`);
      }
      // routed to the thread that asked (reference §3.5, multiagent): named on the stored reply,
      // omitted for the primary thread, whatever the client sent
      const { session_thread_id: _sent, ...rest } = bodies[i] as TEventBody & { session_thread_id?: string };
      const asker = (use.body as { session_thread_id?: string }).session_thread_id;
      bodies[i] = (asker ? { ...rest, session_thread_id: asker } : rest) as TEventBody;
    }
  }

  return appendAndWake(deps, session.id, bodies, { actor });
}

async function appendAndWake(deps: { store: SessionStore; onWake?: () => void }, sessionId: string, bodies: TEventBody[], options: TAppendOptions = {}) {
  const result = await deps.store.appendEvents(sessionId, bodies, { ...options, wake: true });
  if (!result.claimed) deps.onWake?.(); // claimed: this process's harness took it in the append
  return { data: result.events.map(toWireEvent) };
}
