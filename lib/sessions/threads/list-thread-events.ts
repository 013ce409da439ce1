import { AppError } from "@/lib/errors";
import { toWireEvent, WIRE_EVENT_TYPES } from "@/lib/event-log/events";
import type { SessionStore } from "@/lib/event-log/session-store";
import { primaryThreadId, threadOf } from "@/lib/event-log/threads";
import { decodeCursor, encodeCursor } from "@/lib/resource/cursor";
import { queryLimit } from "@/lib/resource/query";
import { DEFAULT_EVENT_PAGE } from "../list-events";
import { readThread } from "./read-threads";

const SCAN = 1_000;

/**
 * `GET /v1/sessions/{id}/threads/{thread_id}/events`: the thread's events (those its
 * `session_thread_id` names, the primary's being those that name none), in seq order, paged with an
 * opaque cursor (the last seq returned). Decision: the log is read in pages and filtered, since the
 * thread is not a column of the log; a page costs a read of the log up to its last event.
 */
export async function listThreadEvents(deps: { store: SessionStore }, options: { teamId: string; sessionId: string; threadId: string; query: URLSearchParams }) {
  const limit = queryLimit(options.query, DEFAULT_EVENT_PAGE);
  const page = options.query.get("page");
  const cursor = page ? decodeCursor(page).seq : 0;
  if (!Number.isSafeInteger(cursor) || (cursor as number) < 0) throw new AppError("invalid_request", "page: not a cursor returned by this API");
  const { session, thread } = await readThread(deps.store, options);
  const primary = primaryThreadId(session.id);
  const found = [];
  for (let afterSeq = cursor as number; found.length <= limit; ) {
    const events = await deps.store.getEvents(session.id, { afterSeq, limit: SCAN, types: WIRE_EVENT_TYPES });
    found.push(...events.filter((e) => threadOf(e.body, primary) === thread.id));
    if (events.length < SCAN) break;
    afterSeq = events.at(-1)!.seq;
  }
  const items = found.slice(0, limit);
  return { data: items.map(toWireEvent), next_page: found.length > limit ? encodeCursor({ seq: items.at(-1)!.seq }) : null };
}
