import { describe, expect, it } from "vitest";
import { foldTimeline, INITIAL_TIMELINE, timelineOf, type TTimelineEvent } from "@/lib/timeline/fold-timeline";
import { spanDurationMs, turnAxisEndMs, waterfallOf, waterfallOfEvents } from "@/lib/timeline/waterfall";
import { axisPercent, axisTicks } from "@/lib/timeline/waterfall-axis";
import recorded from "./fixtures/recorded-session.json";

// The recorded session of fold-timeline.test.ts: a tool run, a long output, an edit a person
// denied, a custom tool answered by the client, and a model error retried.
const LOG = recorded as unknown as TTimelineEvent[];

const at = (ms: number) => new Date(Date.UTC(2026, 0, 1) + ms).toISOString();
let seq = 0;
const event = (ms: number, body: Record<string, unknown>): TTimelineEvent => {
  seq += 1;
  return { id: `sevt_${seq}`, seq, processed_at: at(ms), ...body } as unknown as TTimelineEvent;
};
const usage = (input: number, output: number) => ({ input_tokens: input, output_tokens: output, cache_read_input_tokens: 0, cache_creation_input_tokens: 0 });

describe("the waterfall of a session", () => {
  it("has a turn per user event that found the session idle, each ending when it went idle", () => {
    const { turns } = waterfallOfEvents(LOG);
    const seqs = LOG.filter((e) => e.type === "user.message" || e.type === "user.tool_confirmation" || e.type === "user.custom_tool_result").map((e) => e.seq);
    expect(turns.map((t) => t.seq)).toEqual(seqs);
    expect(turns.every((t) => t.endMs !== null && t.endMs >= t.startMs)).toBe(true);
  });

  it("puts each model request and tool call in the turn it started in, with its tokens", () => {
    const { turns } = waterfallOfEvents(LOG);
    const first = turns[0]!;
    expect(first.spans.map((s) => (s.kind === "tool_call" ? s.name : s.kind))).toEqual(["model_request", "bash", "model_request", "bash", "model_request"]);
    const ends = LOG.filter((e) => e.type === "span.model_request_end").slice(0, 3) as Array<Extract<TTimelineEvent, { type: "span.model_request_end" }>>;
    expect(first.tokens.input).toBe(ends.reduce((sum, e) => sum + e.model_usage.input_tokens, 0));
    expect(first.tokens.output).toBe(ends.reduce((sum, e) => sum + e.model_usage.output_tokens, 0));
    // every request and call of the log is in exactly one turn
    const spans = turns.flatMap((t) => t.spans);
    expect(spans.filter((s) => s.kind === "model_request")).toHaveLength(LOG.filter((e) => e.type === "span.model_request_start").length);
    expect(spans.filter((s) => s.kind === "tool_call")).toHaveLength(4);
    // the denied edit never ran: no duration
    const edit = spans.find((s) => s.kind === "tool_call" && s.name === "edit")!;
    expect(edit).toMatchObject({ state: "denied", runStartMs: null });
    expect(spanDurationMs(edit)).toBeNull();
  });

  it("times bars from the log: a request from its start to its end, a call from its approval to its result", () => {
    const events = [
      event(0, { type: "user.message", content: [{ type: "text", text: "go" }] }),
      event(5, { type: "session.status_running" }),
      event(10, { type: "span.model_request_start" }),
      event(400, { type: "agent.tool_use", name: "bash", input: { command: "make" }, evaluated_permission: "ask" }),
      event(410, { type: "span.model_request_end", model_request_start_id: "sevt_3", model_usage: usage(1200, 80) }),
      event(420, { type: "session.status_idle", stop_reason: { type: "requires_action", event_ids: ["sevt_4"] } }),
      event(2_000, { type: "user.tool_confirmation", tool_use_id: "sevt_4", result: "allow" }),
      event(2_005, { type: "session.status_running" }),
      event(3_500, { type: "agent.tool_result", tool_use_id: "sevt_4", content: [{ type: "text", text: "ok" }] }),
      event(3_510, { type: "span.model_request_start" }),
    ];
    const timeline = timelineOf(events);
    const live = waterfallOf(timeline);
    expect(live.turns).toHaveLength(2);
    const [asked, approved] = live.turns;
    expect(asked!.endMs! - asked!.startMs).toBe(420);
    expect(asked!.tokens).toEqual({ input: 1200, output: 80, cacheRead: 0, cacheWrite: 0 });
    const request = asked!.spans[0]!;
    expect(spanDurationMs(request)).toBe(400);
    const call = asked!.spans[1]!;
    expect(call).toMatchObject({ kind: "tool_call", name: "bash", state: "done" });
    expect(spanDurationMs(call)).toBe(1_500);
    // the second turn runs: its open request ends at the latest time the log knows, or at the clock given
    expect(approved!.endMs).toBeNull();
    expect(approved!.spans).toHaveLength(1);
    expect(turnAxisEndMs(approved!, live.nowMs) - approved!.startMs).toBe(1_510);
    const later = waterfallOf(timeline, { nowMs: Date.parse(at(9_000)) });
    expect(turnAxisEndMs(later.turns[1]!, later.nowMs) - later.turns[1]!.startMs).toBe(7_000);
    // a clock behind the log's times does not pull bars back
    expect(waterfallOf(timeline, { nowMs: 0 }).nowMs).toBe(live.nowMs);
  });

  it("folded in pieces, as the live page folds it, gives the same waterfall", () => {
    const whole = waterfallOf(timelineOf(LOG));
    let state = INITIAL_TIMELINE;
    for (let i = 0; i < LOG.length; i += 7) state = foldTimeline(state, LOG.slice(i, i + 7));
    expect(waterfallOf(state)).toEqual(whole);
  });
});

describe("the waterfall's time axis", () => {
  it("ticks at a round step, a few of them, from 0", () => {
    expect(axisTicks(1_000)).toEqual([0, 500, 1_000]);
    expect(axisTicks(4_200)).toEqual([0, 2_000, 4_000]);
    expect(axisTicks(900)).toEqual([0, 500]);
    expect(axisTicks(0)).toEqual([0]);
    expect(axisTicks(37_000).length).toBeLessThanOrEqual(5);
  });
  it("places a time in percent of the axis, inside it", () => {
    expect(axisPercent(1_500, 1_000, 1_000)).toBe(50);
    expect(axisPercent(5_000, 1_000, 1_000)).toBe(100);
    expect(axisPercent(0, 1_000, 1_000)).toBe(0);
    expect(axisPercent(1_000, 1_000, 0)).toBe(0);
  });
});
