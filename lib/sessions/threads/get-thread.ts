import type { SessionStore } from "@/lib/event-log/session-store";
import { readThread } from "./read-threads";
import { threadToWire } from "./thread-to-wire";

/** `GET /v1/sessions/{id}/threads/{thread_id}`. */
export async function getThread(deps: { store: SessionStore }, options: { teamId: string; sessionId: string; threadId: string }) {
  const { session, thread } = await readThread(deps.store, options);
  return threadToWire(session, thread);
}
