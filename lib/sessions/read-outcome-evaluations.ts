import { foldOutcomes, OUTCOME_EVENT_TYPES, outcomeEvaluationsToWire } from "@/lib/event-log/outcomes";
import { MAX_EVENT_LIMIT, type SessionStore } from "@/lib/event-log/session-store";
import type { TStoredEvent } from "@/lib/event-log/events";

/**
 * A session's `outcome_evaluations`: the fold of its outcome events (lib/event-log/outcomes.ts), read
 * with a targeted query (only the types the fold reads), a page at a time.
 */
export async function readOutcomeEvaluations(store: SessionStore, sessionId: string) {
  // most sessions define no outcome: one small read says so
  const [first] = await store.getEvents(sessionId, { types: ["user.define_outcome"], limit: 1 });
  if (!first) return [];
  const events: TStoredEvent[] = [];
  for (;;) {
    const page = await store.getEvents(sessionId, { afterSeq: events.at(-1)?.seq ?? first.seq - 1, types: OUTCOME_EVENT_TYPES, limit: MAX_EVENT_LIMIT });
    events.push(...page);
    if (page.length < MAX_EVENT_LIMIT) break;
  }
  return outcomeEvaluationsToWire(foldOutcomes(events));
}
