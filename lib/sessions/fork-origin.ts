import type { SessionStore } from "@/lib/event-log/session-store";
import type { TForkOrigin } from "./fork-log";

/**
 * Where a forked session came from: its `span.fork_origin` (written after the copies), or null for
 * a session that was not forked. One indexed read of the log, by type.
 */
export async function readForkOrigin(store: SessionStore, sessionId: string): Promise<TForkOrigin | null> {
  const [first] = await store.getEvents(sessionId, { types: ["span.fork_origin"], limit: 1 });
  return first?.body.type === "span.fork_origin" ? first.body : null;
}

/** What the session page says of a fork's origin: the original (if still there) and the event it was cut at. */
export type TForkOriginView = { sessionId: string; title: string | null; exists: boolean; eventId: string; eventSeq: number };

export async function describeForkOrigin(deps: { store: SessionStore }, options: { teamId: string; sessionId: string }): Promise<TForkOriginView | null> {
  const origin = await readForkOrigin(deps.store, options.sessionId);
  if (!origin) return null;
  const original = await deps.store.getSession(origin.session_id);
  const exists = original !== null && original.teamId === options.teamId;
  return { sessionId: origin.session_id, title: exists ? original.title : null, exists, eventId: origin.event_id, eventSeq: origin.event_seq };
}
