import { decodeCursor, encodeCursor } from "@/lib/resource/cursor";
import { queryArray, queryEnum, queryLimit } from "@/lib/resource/query";
import { AppError } from "@/lib/errors";
import { toWireEvent, WIRE_EVENT_TYPES, type TEventType } from "@/lib/event-log/events";
import type { SessionStore } from "@/lib/event-log/session-store";
import { findTeamSession } from "./find-team-session";

export const DEFAULT_EVENT_PAGE = 100;

/**
 * `GET /v1/sessions/{id}/events`: the log in seq order (`asc` by default), filtered by `types[]`,
 * paged with an opaque cursor holding the last seq returned; `next_page` is null on the last page.
 * The ids are the same the stream sends.
 */
export async function listEvents(deps: { store: SessionStore }, options: { teamId: string; sessionId: string; query: URLSearchParams }) {
  const q = options.query;
  const limit = queryLimit(q, DEFAULT_EVENT_PAGE);
  const order = queryEnum(q, "order", ["asc", "desc"] as const, "asc");
  const requested = queryArray(q, "types");
  for (const type of requested) {
    if (!(WIRE_EVENT_TYPES as readonly string[]).includes(type)) throw new AppError("invalid_request", `types: unknown event type "${type.slice(0, 64)}"`);
  }
  const page = q.get("page");
  const cursor = page ? decodeCursor(page) : null;
  if (cursor && (!Number.isInteger(cursor.seq) || (cursor.seq as number) < 0)) throw new AppError("invalid_request", "page: not a cursor returned by this API");
  const session = await findTeamSession(deps.store, options.teamId, options.sessionId);
  const position = cursor ? (cursor.seq as number) : undefined;
  const events = await deps.store.getEvents(session.id, {
    order,
    limit: limit + 1,
    types: (requested.length > 0 ? requested : WIRE_EVENT_TYPES) as TEventType[],
    ...(position === undefined ? {} : order === "asc" ? { afterSeq: position } : { beforeSeq: position }),
  });
  const items = events.slice(0, limit);
  const more = events.length > limit;
  return { data: items.map(toWireEvent), next_page: more ? encodeCursor({ seq: items.at(-1)!.seq }) : null };
}
