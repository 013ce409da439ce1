import type { TTimelineEvent } from "./fold-timeline";

/**
 * The replay player's state as a pure reducer: the log it holds, how much of it is shown (the
 * position: the first `position` events), whether it plays and how fast. A player at the end of
 * the log follows it: events that arrive move it along, so a running session plays live.
 */
export const SPEEDS = [1, 2, 4, 8, 16] as const;
export type TSpeed = (typeof SPEEDS)[number];

export type TReplayCursor = {
  events: readonly TTimelineEvent[];
  /** How many events are shown: 0 (none) … events.length (all). */
  position: number;
  playing: boolean;
  speed: TSpeed;
};

export type TReplayAction =
  | { type: "append"; events: readonly TTimelineEvent[] }
  | { type: "seek"; position: number }
  | { type: "seek_seq"; seq: number }
  | { type: "step"; by: number }
  | { type: "play" }
  | { type: "pause" }
  | { type: "toggle" }
  | { type: "advance"; position: number }
  | { type: "speed"; speed: TSpeed }
  | { type: "speed_by"; by: 1 | -1 };

/** A player opens at the start of the session (nothing shown yet), paused. */
export function initialCursor(events: readonly TTimelineEvent[], speed: TSpeed = 1): TReplayCursor {
  return { events, position: 0, playing: false, speed };
}

const clamp = (value: number, max: number) => Math.max(0, Math.min(max, Math.trunc(value)));

/** The position that shows the event `seq` last: every event up to it (an unknown seq: those before it). */
export function positionOfSeq(events: readonly TTimelineEvent[], seq: number): number {
  let lo = 0;
  let hi = events.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (events[mid]!.seq <= seq) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The seq of the last event shown at `position` (0 when none is). */
export function seqAtPosition(events: readonly TTimelineEvent[], position: number): number {
  return position > 0 ? (events[position - 1]?.seq ?? 0) : 0;
}

/** Appends the events after the last seq held, in seq order, each once. */
function merge(held: readonly TTimelineEvent[], incoming: readonly TTimelineEvent[]): readonly TTimelineEvent[] {
  let last = held.at(-1)?.seq ?? 0;
  const fresh: TTimelineEvent[] = [];
  for (const event of [...incoming].sort((a, b) => a.seq - b.seq)) {
    if (event.seq <= last) continue;
    fresh.push(event);
    last = event.seq;
  }
  return fresh.length === 0 ? held : [...held, ...fresh];
}

export function replayReducer(state: TReplayCursor, action: TReplayAction): TReplayCursor {
  const end = state.events.length;
  switch (action.type) {
    case "append": {
      const events = merge(state.events, action.events);
      if (events === state.events) return state;
      // at the end and paused: follow the log
      const following = state.position === end && !state.playing;
      return { ...state, events, position: following ? events.length : state.position };
    }
    case "seek":
      return { ...state, position: clamp(action.position, end) };
    case "seek_seq":
      return { ...state, position: positionOfSeq(state.events, action.seq), playing: false };
    case "step":
      return { ...state, position: clamp(state.position + action.by, end), playing: false };
    case "play":
      // playing from the end starts over
      return end === 0 ? state : { ...state, playing: true, position: state.position >= end ? 0 : state.position };
    case "pause":
      return state.playing ? { ...state, playing: false } : state;
    case "toggle":
      return replayReducer(state, { type: state.playing ? "pause" : "play" });
    case "advance": {
      const position = clamp(action.position, end);
      return { ...state, position, playing: state.playing && position < end };
    }
    case "speed":
      return { ...state, speed: action.speed };
    case "speed_by": {
      const index = Math.max(0, Math.min(SPEEDS.length - 1, SPEEDS.indexOf(state.speed) + action.by));
      return { ...state, speed: SPEEDS[index]! };
    }
  }
}

/**
 * Idle gaps are skipped. At 1×, the player waits before each event as long as the session did,
 * but at least MIN_STEP_MS (a burst of events stays watchable); a gap longer than IDLE_GAP_MS of
 * wall time (the agent waiting on a person, a slow tool) plays as a short IDLE_PAUSE_MS pause
 * instead. Every speed divides these.
 */
export const MIN_STEP_MS = 150;
export const IDLE_GAP_MS = 2_000;
export const IDLE_PAUSE_MS = 600;

function timeOf(event: TTimelineEvent | undefined): number | null {
  if (!event?.processed_at) return null;
  const t = Date.parse(event.processed_at);
  return Number.isNaN(t) ? null : t;
}

/** How long (at 1×) the player waits before showing the event at `index`: its real gap, idle gaps skipped. */
export function stepDelayMs(events: readonly TTimelineEvent[], index: number): number {
  const before = timeOf(events[index - 1]);
  const at = timeOf(events[index]);
  const gap = before === null || at === null ? MIN_STEP_MS : at - before;
  return gap > IDLE_GAP_MS ? IDLE_PAUSE_MS : Math.max(MIN_STEP_MS, gap);
}

/**
 * Where playback gets to from `position` with `budgetMs` of 1× time to spend: the new position
 * and the time left over (carried to the next frame).
 */
export function advanceBy(events: readonly TTimelineEvent[], position: number, budgetMs: number): { position: number; leftMs: number } {
  let p = position;
  let left = budgetMs;
  while (p < events.length) {
    const delay = stepDelayMs(events, p);
    if (left < delay) break;
    left -= delay;
    p += 1;
  }
  return { position: p, leftMs: p >= events.length ? 0 : left };
}
