import { AppError } from "@/lib/errors";
import type { SessionStore } from "@/lib/event-log/session-store";
import { decodeCursor, encodeCursor } from "@/lib/resource/cursor";
import { queryArray, queryLimit } from "@/lib/resource/query";
import { readThreads } from "./read-threads";
import { threadToWire } from "./thread-to-wire";

const STATUSES = ["running", "idle", "rescheduling", "terminated"] as const;

/**
 * `GET /v1/sessions/{id}/threads`: the primary thread, then the children in the order they were
 * started, filtered by `statuses[]`, paged with an opaque cursor (the position after the page).
 */
export async function listThreads(deps: { store: SessionStore }, options: { teamId: string; sessionId: string; query: URLSearchParams }) {
  const q = options.query;
  const limit = queryLimit(q, 20);
  const statuses = queryArray(q, "statuses");
  for (const status of statuses) {
    if (!(STATUSES as readonly string[]).includes(status)) throw new AppError("invalid_request", `statuses: must be among ${STATUSES.join(", ")}`);
  }
  const page = q.get("page");
  const offset = page ? decodeCursor(page).offset : 0;
  if (!Number.isSafeInteger(offset) || (offset as number) < 0) throw new AppError("invalid_request", "page: not a cursor returned by this API");
  const { session, threads } = await readThreads(deps.store, options);
  const wire = threads.map((t) => threadToWire(session, t)).filter((t) => statuses.length === 0 || statuses.includes(t.status));
  const data = wire.slice(offset as number, (offset as number) + limit);
  const next = (offset as number) + limit;
  return { data, next_page: next < wire.length ? encodeCursor({ offset: next }) : null };
}
