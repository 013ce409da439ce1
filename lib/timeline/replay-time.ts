import type { TTimelineEvent } from "./fold-timeline";

/**
 * The replay's clock: each event's time from the session's first event, the scrubber's position
 * in time (not by event count), the ticks drawn on it, and the `#t=<seconds>` deep link.
 *
 * An event without a readable `processed_at` takes the time of the event before it, so the times
 * never go backwards and every event has one.
 */
export function eventTimesMs(events: readonly TTimelineEvent[]): number[] {
  const times: number[] = [];
  let first: number | null = null;
  let last = 0;
  for (const event of events) {
    const at = event.processed_at ? Date.parse(event.processed_at) : Number.NaN;
    if (!Number.isNaN(at)) {
      first ??= at;
      last = Math.max(last, at - first);
    }
    times.push(last);
  }
  return times;
}

/** The time shown at `position` (the first `position` events shown): the last shown event's; 0 at the start. */
export function timeAtPosition(times: readonly number[], position: number): number {
  return position > 0 ? (times[Math.min(position, times.length) - 1] ?? 0) : 0;
}

/**
 * The position at `ms` from the start: every event that happened by then is shown (at 0, those of
 * the first moment); past the end, everything. Only a time before 0 (or none) is the start, where
 * nothing is shown yet: the hash of a position leads back to it.
 */
export function positionAtTime(times: readonly number[], ms: number): number {
  if (!(ms >= 0)) return 0;
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (times[mid]! <= ms) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Where on the scrubber (0…1) a time falls: its share of the span from the first event to the last. */
export function fractionOfTime(ms: number, spanMs: number): number {
  return spanMs > 0 ? Math.max(0, Math.min(1, ms / spanMs)) : 0;
}

export type TTickKind = "user" | "tool" | "error";
export type TTick = { kind: TTickKind; fraction: number; seq: number };

/** The events that get a tick on the scrubber. */
function tickKind(event: TTimelineEvent): TTickKind | null {
  switch (event.type) {
    case "user.message":
      return "user";
    case "agent.tool_use":
    case "agent.custom_tool_use":
    case "agent.mcp_tool_use":
      return "tool";
    case "session.error":
      return "error";
    default:
      return null;
  }
}

/** At most this many ticks are drawn: a huge log's ticks share slots (one per 1/MAX_TICKS of the track). */
export const MAX_TICKS = 240;
const RANK: Record<TTickKind, number> = { tool: 0, user: 1, error: 2 };

/**
 * The scrubber's ticks: user messages, tool calls and errors, at their time. When several fall in
 * the same slot (1/`max` of the track), one is drawn: an error before a user message before a tool call.
 */
export function scrubberTicks(events: readonly TTimelineEvent[], times: readonly number[], max = MAX_TICKS): TTick[] {
  const span = times.at(-1) ?? 0;
  const slots = new Map<number, TTick>();
  events.forEach((event, index) => {
    const kind = tickKind(event);
    if (!kind) return;
    const fraction = fractionOfTime(times[index]!, span);
    const slot = Math.min(max - 1, Math.floor(fraction * max));
    const held = slots.get(slot);
    if (!held || RANK[kind] > RANK[held.kind]) slots.set(slot, { kind, fraction, seq: event.seq });
  });
  return [...slots.entries()].sort(([a], [b]) => a - b).map(([, tick]) => tick);
}

/** A time as the player shows it: m:ss, or h:mm:ss from an hour. */
export function formatClock(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const [h, m, s] = [Math.floor(total / 3600), Math.floor(total / 60) % 60, total % 60];
  const pad = (n: number) => String(n).padStart(2, "0");
  return h > 0 ? `${h}:${pad(m)}:${pad(s)}` : `${m}:${pad(s)}`;
}

/** The deep link's hash for a time from the start: `#t=<seconds>`, to the millisecond, no trailing zeros. */
export function formatTimeHash(ms: number): string {
  const seconds = (Math.max(0, Math.round(ms)) / 1000).toFixed(3).replace(/\.?0+$/, "");
  return `#t=${seconds}`;
}

export type TReplayHash = { kind: "time"; ms: number } | { kind: "seq"; seq: number };

const TIME_HASH = /^#t=(\d{1,7}(?:\.\d{1,3})?)s?$/;
const SEQ_HASH = /^#e-(\d{1,9})$/;

/** A deep link's hash: `#t=<seconds from the start>` (decimals allowed), or `#e-<seq>` for an event; anything else is null. */
export function parseReplayHash(hash: string): TReplayHash | null {
  const time = TIME_HASH.exec(hash);
  if (time) return { kind: "time", ms: Math.round(Number(time[1]) * 1000) };
  const seq = SEQ_HASH.exec(hash);
  return seq ? { kind: "seq", seq: Number(seq[1]) } : null;
}
