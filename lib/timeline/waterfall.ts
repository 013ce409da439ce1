import type { TTimelineEvent, TTimelineState, TToolCallItem, TToolCallState } from "./fold-timeline";
import { timelineOf } from "./fold-timeline";

/**
 * The session's waterfall — what the "Timeline" tab draws — as a pure function of the timeline fold
 * (fold-timeline.ts), so of the log: turns, and in each turn its model requests and tool calls,
 * each with when it started and ended and what it cost in tokens. Tool calls come from the
 * timeline's own tool-call lifecycle (use → confirmation → result), not from a second pairing.
 * It needs no collector: traces (lib/telemetry) are another view of the same log.
 *
 * A turn runs from a user event that finds the session not running (a message, an approval or
 * denial, a custom tool's result) — or from `session.status_running` when no user event came first
 * (a scheduled wake) — to the session going idle or terminated. An approval therefore starts a turn
 * of its own: the session was idle, waiting for it.
 */

export type TWaterfallTokens = { input: number; output: number; cacheRead: number; cacheWrite: number };

export type TWaterfallSpan =
  | {
      kind: "model_request";
      key: string;
      seq: number;
      startMs: number;
      /** Null while the request runs. */
      endMs: number | null;
      isError: boolean;
      tokens: TWaterfallTokens | null;
    }
  | {
      kind: "tool_call";
      key: string;
      seq: number;
      name: string;
      mcpServer: string | null;
      source: TToolCallItem["source"];
      state: TToolCallState;
      /** When the call was made; it may wait for a person (`runStartMs` later) before it runs. */
      startMs: number;
      /** When it could run: its approval, or its use when it asked no one; null when it never ran (denied). */
      runStartMs: number | null;
      /** Its result; null while it runs or waits. */
      endMs: number | null;
    };

export type TWaterfallTurn = {
  key: string;
  /** 1-based, in log order. */
  number: number;
  seq: number;
  startMs: number;
  /** When the session went idle or terminated; null while the turn runs. */
  endMs: number | null;
  spans: TWaterfallSpan[];
  /** Summed over the turn's finished model requests. */
  tokens: TWaterfallTokens;
};

export type TWaterfall = {
  turns: TWaterfallTurn[];
  /** The latest time the log mentions (or the clock given, when later): where open bars end. */
  nowMs: number | null;
};

type TMark = { seq: number; ms: number; key: string; type: "user" | "running" | "end" };

const timeOf = (at: string | null | undefined): number | null => {
  if (!at) return null;
  const ms = Date.parse(at);
  return Number.isNaN(ms) ? null : ms;
};

const ZERO: TWaterfallTokens = Object.freeze({ input: 0, output: 0, cacheRead: 0, cacheWrite: 0 });

function addTokens(a: TWaterfallTokens, b: TWaterfallTokens | null): TWaterfallTokens {
  if (!b) return a;
  return { input: a.input + b.input, output: a.output + b.output, cacheRead: a.cacheRead + b.cacheRead, cacheWrite: a.cacheWrite + b.cacheWrite };
}

/** What opens and closes turns, in log order. */
function marksOf(timeline: TTimelineState): TMark[] {
  const marks: TMark[] = [];
  const add = (seq: number, at: string | null, key: string, type: TMark["type"]) => {
    const ms = timeOf(at);
    if (ms !== null) marks.push({ seq, ms, key, type });
  };
  for (const item of timeline.items) {
    switch (item.kind) {
      case "user_message":
        add(item.seq, item.at, item.key, "user");
        break;
      case "tool_call":
        if (item.confirmation) add(item.confirmation.seq, item.confirmation.at, item.confirmation.id, "user");
        if (item.source === "custom" && item.result) add(item.result.seq, item.result.at, item.result.id, "user");
        break;
      case "status":
        if (item.status === "running") add(item.seq, item.at, item.key, "running");
        else if (item.status === "idle" || item.status === "terminated") add(item.seq, item.at, item.key, "end");
        break;
      case "deleted":
        add(item.seq, item.at, item.key, "end");
        break;
    }
  }
  return marks.sort((a, b) => a.seq - b.seq);
}

function turnsOf(marks: readonly TMark[]): TWaterfallTurn[] {
  const turns: TWaterfallTurn[] = [];
  let open: TWaterfallTurn | null = null;
  for (const mark of marks) {
    if (mark.type === "end") {
      if (open) open.endMs = Math.max(open.startMs, mark.ms);
      open = null;
    } else if (!open) {
      open = { key: mark.key, number: turns.length + 1, seq: mark.seq, startMs: mark.ms, endMs: null, spans: [], tokens: ZERO };
      turns.push(open);
    }
  }
  return turns;
}

function spansOf(timeline: TTimelineState): TWaterfallSpan[] {
  const spans: TWaterfallSpan[] = [];
  for (const item of timeline.items) {
    const startMs = timeOf(item.at);
    if (startMs === null) continue;
    if (item.kind === "model_request") {
      const end = item.end;
      spans.push({
        kind: "model_request",
        key: item.key,
        seq: item.seq,
        startMs,
        endMs: end ? Math.max(startMs, timeOf(end.at) ?? startMs) : null,
        isError: end?.isError ?? false,
        tokens: end
          ? { input: end.usage.input_tokens, output: end.usage.output_tokens, cacheRead: end.usage.cache_read_input_tokens, cacheWrite: end.usage.cache_creation_input_tokens }
          : null,
      });
    } else if (item.kind === "tool_call") {
      const ran = item.state !== "denied";
      const runStartMs = ran ? Math.max(startMs, timeOf(item.confirmation?.at) ?? startMs) : null;
      // a call still waiting for its approval has not started running
      const waiting = item.state === "awaiting_confirmation";
      const resultMs = timeOf(item.result?.at);
      spans.push({
        kind: "tool_call",
        key: item.key,
        seq: item.seq,
        name: item.name,
        mcpServer: item.mcpServer,
        source: item.source,
        state: item.state,
        startMs,
        runStartMs: waiting ? null : runStartMs,
        endMs: resultMs === null ? null : Math.max(runStartMs ?? startMs, resultMs),
      });
    }
  }
  return spans;
}

function latestMs(timeline: TTimelineState): number | null {
  let latest: number | null = null;
  const see = (at: string | null | undefined) => {
    const ms = timeOf(at);
    if (ms !== null && (latest === null || ms > latest)) latest = ms;
  };
  for (const item of timeline.items) {
    see(item.at);
    if (item.kind === "model_request") see(item.end?.at);
    if (item.kind === "tool_call") {
      see(item.confirmation?.at);
      see(item.result?.at);
    }
  }
  return latest;
}

/**
 * The waterfall of a folded timeline. `nowMs` (a clock, while a turn runs) stretches what is still
 * open up to now; without it, open bars end at the latest time in the log. Pure: the same timeline
 * and clock give the same waterfall.
 */
export function waterfallOf(timeline: TTimelineState, options: { nowMs?: number | null } = {}): TWaterfall {
  const turns = turnsOf(marksOf(timeline));
  // each request and call belongs to the turn it started in (the last turn opened at or before it)
  let t = -1;
  for (const span of spansOf(timeline)) {
    while (t + 1 < turns.length && turns[t + 1]!.seq <= span.seq) t++;
    const turn = turns[t];
    if (!turn) continue;
    turn.spans.push(span);
    if (span.kind === "model_request") turn.tokens = addTokens(turn.tokens, span.tokens);
  }
  const logged = latestMs(timeline);
  const clock = options.nowMs ?? null;
  const nowMs = logged === null ? clock : clock === null ? logged : Math.max(logged, clock);
  return { turns, nowMs };
}

/** The waterfall of a whole log. */
export function waterfallOfEvents(events: readonly TTimelineEvent[]): TWaterfall {
  return waterfallOf(timelineOf(events));
}

/** Where a turn's axis ends: its end, or now while it runs, and never before its last bar. */
export function turnAxisEndMs(turn: TWaterfallTurn, nowMs: number | null): number {
  let end = turn.endMs ?? nowMs ?? turn.startMs;
  for (const span of turn.spans) end = Math.max(end, span.endMs ?? (turn.endMs === null ? (nowMs ?? span.startMs) : span.startMs));
  return end;
}

/** How long a span took (a tool call: how long it ran), in ms; null while it runs or when it never ran. */
export function spanDurationMs(span: TWaterfallSpan): number | null {
  if (span.endMs === null) return null;
  if (span.kind === "model_request") return span.endMs - span.startMs;
  return span.runStartMs === null ? null : span.endMs - span.runStartMs;
}
