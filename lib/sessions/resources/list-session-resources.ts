import { AppError } from "@/lib/errors";
import type { SessionStore } from "@/lib/event-log/session-store";
import { decodeCursor, encodeCursor } from "@/lib/resource/cursor";
import { queryLimit } from "@/lib/resource/query";
import { findTeamSession } from "../find-team-session";
import { storedResources } from "./change-session-resources";

/**
 * `GET /v1/sessions/{id}/resources`: the session's resources in the order they were given (those
 * of the creation, then those added), paged with an opaque cursor (the position after the page).
 * Tokens are never among them: a repository's is sealed in its own row.
 */
export async function listSessionResources(deps: { store: SessionStore }, options: { teamId: string; sessionId: string; query: URLSearchParams }) {
  const limit = queryLimit(options.query, 20);
  const page = options.query.get("page");
  const offset = page ? decodeCursor(page).offset : 0;
  if (typeof offset !== "number" || !Number.isSafeInteger(offset) || offset < 0) throw new AppError("invalid_request", "page: not a cursor returned by this API");
  const session = await findTeamSession(deps.store, options.teamId, options.sessionId);
  const all = storedResources(session.resources);
  const next = offset + limit;
  return { data: all.slice(offset, next), next_page: next < all.length ? encodeCursor({ offset: next }) : null };
}
