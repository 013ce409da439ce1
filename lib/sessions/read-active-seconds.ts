import { activeSecondsAt, foldActiveTime, NO_ACTIVE_TIME, STATUS_EVENT_TYPES } from "@/lib/event-log/active-time";
import { MAX_EVENT_LIMIT, type SessionStore } from "@/lib/event-log/session-store";

/**
 * A session's `active_seconds`: the fold of its status events (active-time.ts), read with a
 * targeted query (only those types), a page at a time.
 */
export async function readActiveSeconds(store: SessionStore, sessionId: string, now = Date.now()): Promise<number> {
  let state = NO_ACTIVE_TIME;
  let afterSeq = 0;
  for (;;) {
    const page = await store.getEvents(sessionId, { afterSeq, types: STATUS_EVENT_TYPES, limit: MAX_EVENT_LIMIT });
    state = foldActiveTime(state, page);
    if (page.length < MAX_EVENT_LIMIT) break;
    afterSeq = page.at(-1)!.seq;
  }
  return activeSecondsAt(state, now);
}
