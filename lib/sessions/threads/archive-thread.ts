import { AppError } from "@/lib/errors";
import type { SessionStore } from "@/lib/event-log/session-store";
import { readThread } from "./read-threads";
import { threadToWire } from "./thread-to-wire";

/**
 * `POST /v1/sessions/{id}/threads/{thread_id}/archive`: records `span.thread_archived` (the archive
 * is a fold of the log like the rest of the thread's state); the harness runs an archived thread no
 * more and the coordinator can no longer message it. Decision: the primary thread is archived with
 * its session (`POST /v1/sessions/{id}/archive`), and a running thread must be interrupted first,
 * as a running session must. Archiving an archived thread returns it as it is.
 */
export async function archiveThread(deps: { store: SessionStore }, options: { teamId: string; sessionId: string; threadId: string }) {
  const { session, thread } = await readThread(deps.store, options);
  if (thread.parentThreadId === null) throw new AppError("invalid_request", "the primary thread is archived with its session: archive the session");
  if (thread.archivedAt) return threadToWire(session, thread);
  if (thread.status === "running") throw new AppError("invalid_request", `thread ${thread.id} is running: interrupt it first (user.interrupt naming it)`);
  await deps.store.appendEvents(session.id, [{ type: "span.thread_archived", session_thread_id: thread.id }], { ifOpen: { teamId: options.teamId } });
  const after = await readThread(deps.store, options);
  return threadToWire(after.session, after.thread);
}
