import type { TEventType, TStoredEvent } from "./events";

/**
 * How long a session has been running, as a fold of its status events: each
 * `session.status_running` opens a stretch that the next status event (`idle`, `rescheduled`,
 * `terminated`) closes, timed by when each was processed. A stretch still open counts up to `now`.
 * The SDK's `usage.active_seconds` and `stats.active_seconds` (equal while a session has one
 * thread; with threads, the first counts time with any thread running once, the second sums them).
 */
export const STATUS_EVENT_TYPES: readonly TEventType[] = ["session.status_running", "session.status_idle", "session.status_rescheduled", "session.status_terminated"];

type TTimedEvent = Pick<TStoredEvent, "processedAt" | "createdAt"> & { body: { type: string } };

export type TActiveTime = { activeMs: number; runningSince: number | null };

export const NO_ACTIVE_TIME: TActiveTime = Object.freeze({ activeMs: 0, runningSince: null });

/** Folds status events (in seq order; others are skipped) onto `state`. */
export function foldActiveTime(state: TActiveTime, events: readonly TTimedEvent[]): TActiveTime {
  let { activeMs, runningSince } = state;
  for (const event of events) {
    if (!STATUS_EVENT_TYPES.includes(event.body.type as TEventType)) continue;
    const at = Date.parse(event.processedAt ?? event.createdAt);
    if (Number.isNaN(at)) continue;
    if (runningSince !== null) activeMs += Math.max(0, at - runningSince);
    runningSince = event.body.type === "session.status_running" ? at : null;
  }
  return { activeMs, runningSince };
}

/** Seconds (millisecond precision) of `state`, counting an open stretch up to `now`. */
export function activeSecondsAt(state: TActiveTime, now: number): number {
  const open = state.runningSince === null ? 0 : Math.max(0, now - state.runningSince);
  return Math.round(state.activeMs + open) / 1000;
}
