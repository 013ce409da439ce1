import type { SessionStore } from "@/lib/event-log/session-store";
import { primaryThreadId, threadOf } from "@/lib/event-log/threads";
import type { EventBus } from "@/lib/realtime/event-bus";
import { streamEvents } from "../stream-events";
import { readThread } from "./read-threads";

/**
 * `GET /v1/sessions/{id}/threads/{thread_id}/stream`: the session's stream (stream-events.ts)
 * carrying only the thread's stored events. Decision: live previews (`event_deltas[]`) carry no
 * thread, so a thread's stream sends all of the session's.
 */
export async function streamThreadEvents(
  deps: { store: SessionStore; bus: EventBus },
  options: { teamId: string; sessionId: string; threadId: string; query: URLSearchParams; signal: AbortSignal; stillAuthorized?: () => Promise<boolean> },
): Promise<Response> {
  const { session, thread } = await readThread(deps.store, options);
  const primary = primaryThreadId(session.id);
  return streamEvents(deps, { ...options, only: (event) => threadOf(event.body, primary) === thread.id });
}
