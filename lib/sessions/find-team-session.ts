import { AppError } from "@/lib/errors";
import { isId } from "@/lib/ids";
import type { SessionStore, TSessionRecord } from "@/lib/event-log/session-store";

/**
 * The team's session, or 404 — the same answer for an unknown id, another team's id and a string
 * that is not a session id at all (ids are opaque to clients; nothing malformed reaches the database).
 */
export async function findTeamSession(store: SessionStore, teamId: string, sessionId: string): Promise<TSessionRecord> {
  const session = isId("session", sessionId) ? await store.getSession(sessionId) : null;
  if (!session || session.teamId !== teamId) throw new AppError("not_found", `session ${sessionId.slice(0, 64)} not found`);
  return session;
}
