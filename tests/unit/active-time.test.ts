import { describe, expect, it } from "vitest";
import { activeSecondsAt, foldActiveTime, NO_ACTIVE_TIME } from "@/lib/event-log/active-time";

const T0 = Date.parse("2026-01-01T00:00:00.000Z");
const at = (seconds: number, type: string) => {
  const time = new Date(T0 + seconds * 1000).toISOString();
  return { processedAt: time, createdAt: time, body: { type } };
};

describe("active time", () => {
  it("sums the stretches from each status_running to the status that ends it", () => {
    const log = [
      at(0, "user.message"),
      at(1, "session.status_running"),
      at(2, "agent.message"),
      at(4.5, "session.status_idle"),
      at(100, "session.status_running"),
      at(101, "session.status_rescheduled"),
      at(160, "session.status_running"),
      at(162, "session.status_idle"),
    ];
    const state = foldActiveTime(NO_ACTIVE_TIME, log);
    expect(activeSecondsAt(state, T0 + 1_000_000)).toBe(3.5 + 1 + 2);
  });

  it("counts a session still running up to now, and gives the same in pieces as at once", () => {
    const log = [at(10, "session.status_running"), at(12, "session.status_idle"), at(20, "session.status_running")];
    const whole = foldActiveTime(NO_ACTIVE_TIME, log);
    const pieces = log.reduce((state, event) => foldActiveTime(state, [event]), NO_ACTIVE_TIME);
    expect(pieces).toEqual(whole);
    expect(activeSecondsAt(whole, T0 + 25_000)).toBe(2 + 5);
  });
});
