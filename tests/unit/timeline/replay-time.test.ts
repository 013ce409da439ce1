import { describe, expect, it } from "vitest";
import type { TTimelineEvent } from "@/lib/timeline/fold-timeline";
import { eventTimesMs, formatClock, formatTimeHash, fractionOfTime, parseReplayHash, positionAtTime, scrubberTicks, timeAtPosition } from "@/lib/timeline/replay-time";

const at = (ms: number) => new Date(Date.UTC(2026, 0, 1) + ms).toISOString();
const ev = (seq: number, ms: number | null, type = "agent.thinking"): TTimelineEvent => ({ id: `sevt_${seq}`, seq, processed_at: ms === null ? null : at(ms), type }) as TTimelineEvent;

describe("the replay's clock", () => {
  // a burst, an idle minute, a burst: by index the idle minute would be one step of four
  const events = [ev(1, 1_000), ev(2, 1_500), ev(3, 61_500), ev(4, 61_500), ev(5, null), ev(6, 71_000)];
  const times = eventTimesMs(events);

  it("times each event from the first, an event without a time taking the one before it", () => {
    expect(times).toEqual([0, 500, 60_500, 60_500, 60_500, 70_000]);
    expect(eventTimesMs([])).toEqual([]);
    expect(eventTimesMs([ev(1, null), ev(2, 2_000), ev(3, 2_500)])).toEqual([0, 0, 500]);
  });

  it("puts a position on the scrubber by its time, not by its index", () => {
    expect(timeAtPosition(times, 0)).toBe(0);
    expect(timeAtPosition(times, 2)).toBe(500);
    expect(timeAtPosition(times, 3)).toBe(60_500);
    expect(fractionOfTime(timeAtPosition(times, 3), 70_000)).toBeCloseTo(60_500 / 70_000); // not 3/6
    expect(fractionOfTime(5, 0)).toBe(0);
    expect(fractionOfTime(90_000, 70_000)).toBe(1);
  });

  it("finds the position at a time: every event that happened by then", () => {
    expect(positionAtTime(times, 0)).toBe(1); // the first moment
    expect(positionAtTime(times, -5)).toBe(0);
    expect(positionAtTime(times, 1)).toBe(1);
    expect(positionAtTime(times, 500)).toBe(2);
    expect(positionAtTime(times, 30_000)).toBe(2); // mid-gap: what came before
    expect(positionAtTime(times, 60_500)).toBe(5); // all events of one moment
    expect(positionAtTime(times, 999_999)).toBe(6);
    expect(positionAtTime(times, Number.NaN)).toBe(0);
    // a position's time leads back to it (the last event of its moment)
    for (const position of [1, 2, 5, 6]) expect(positionAtTime(times, timeAtPosition(times, position))).toBe(position);
  });

  it("ticks user messages, tool calls and errors at their time, and caps how many are drawn", () => {
    const log = [ev(1, 0, "user.message"), ev(2, 100, "agent.message"), ev(3, 500, "agent.tool_use"), ev(4, 900, "agent.mcp_tool_use"), ev(5, 1_000, "session.error")];
    expect(scrubberTicks(log, eventTimesMs(log))).toEqual([
      { kind: "user", fraction: 0, seq: 1 },
      { kind: "tool", fraction: 0.5, seq: 3 },
      { kind: "tool", fraction: 0.9, seq: 4 },
      { kind: "error", fraction: 1, seq: 5 },
    ]);
    // 10,000 tool calls and one error in the middle: at most `max` ticks, and the error is among them
    const huge = Array.from({ length: 10_000 }, (_, i) => ev(i + 1, i * 1_000, i === 5_000 ? "session.error" : "agent.tool_use"));
    const ticks = scrubberTicks(huge, eventTimesMs(huge), 200);
    expect(ticks.length).toBeLessThanOrEqual(200);
    expect(ticks.length).toBeGreaterThan(150);
    expect(ticks.filter((t) => t.kind === "error").map((t) => t.seq)).toEqual([5_001]);
    expect(ticks.map((t) => t.fraction)).toEqual([...ticks.map((t) => t.fraction)].sort((a, b) => a - b));
  });

  it("writes and reads the deep link's #t=<seconds>", () => {
    expect(formatTimeHash(0)).toBe("#t=0");
    expect(formatTimeHash(12_000)).toBe("#t=12");
    expect(formatTimeHash(12_500)).toBe("#t=12.5");
    expect(formatTimeHash(60_501)).toBe("#t=60.501");
    expect(formatTimeHash(1_000.4)).toBe("#t=1");
    for (const ms of [0, 1, 999, 12_500, 60_501, 3_600_000]) expect(parseReplayHash(formatTimeHash(ms))).toEqual({ kind: "time", ms });
    expect(parseReplayHash("#t=90s")).toEqual({ kind: "time", ms: 90_000 });
    expect(parseReplayHash("#e-42")).toEqual({ kind: "seq", seq: 42 });
    for (const bad of ["", "#", "#t=", "#t=-3", "#t=abc", "#t=1.2345", "#t=1e9", "#t=12&x", "#e-", "#e-1x", "#top"]) expect(parseReplayHash(bad), bad).toBeNull();
  });

  it("shows times as m:ss, and h:mm:ss past an hour", () => {
    expect(formatClock(0)).toBe("0:00");
    expect(formatClock(65_900)).toBe("1:05");
    expect(formatClock(3_723_000)).toBe("1:02:03");
  });
});
