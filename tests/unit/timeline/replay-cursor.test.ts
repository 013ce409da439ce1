import { describe, expect, it } from "vitest";
import { timelineOf, type TTimelineEvent } from "@/lib/timeline/fold-timeline";
import { PrefixFolder } from "@/lib/timeline/prefix-folder";
import { advanceBy, IDLE_GAP_MS, IDLE_PAUSE_MS, initialCursor, MIN_STEP_MS, positionOfSeq, replayReducer, seqAtPosition, stepDelayMs, type TReplayCursor } from "@/lib/timeline/replay-cursor";
import recorded from "./fixtures/recorded-session.json";

const LOG = recorded as unknown as TTimelineEvent[];
const at = (ms: number) => new Date(Date.UTC(2026, 0, 1) + ms).toISOString();
const ev = (seq: number, ms: number): TTimelineEvent => ({ id: `sevt_${seq}`, seq, processed_at: at(ms), type: "agent.thinking" });

describe("the replay cursor", () => {
  const events = [ev(1, 0), ev(2, 10), ev(4, 5_000), ev(7, 5_400)]; // seqs may skip (internal events)
  const atEnd = (log: readonly TTimelineEvent[]): TReplayCursor => ({ ...initialCursor(log), position: log.length });

  it("opens at the start, paused", () => {
    expect(initialCursor(events)).toEqual({ events, position: 0, playing: false, speed: 1 });
  });

  it("changes speed through 1×, 2×, 4×, 8×, 16×, and no further either way", () => {
    let state = initialCursor(events);
    const seen = [];
    for (let i = 0; i < 6; i++) {
      seen.push(state.speed);
      state = replayReducer(state, { type: "speed_by", by: 1 });
    }
    expect(seen).toEqual([1, 2, 4, 8, 16, 16]);
    expect(replayReducer(replayReducer(initialCursor(events), { type: "speed_by", by: -1 }), { type: "speed", speed: 8 }).speed).toBe(8);
    expect(replayReducer(initialCursor(events), { type: "speed_by", by: -1 }).speed).toBe(1);
  });

  it("maps seqs to positions and back, for seqs that are not on the wire too", () => {
    expect(positionOfSeq(events, 4)).toBe(3);
    expect(positionOfSeq(events, 5)).toBe(3); // an internal seq: what came before it
    expect(positionOfSeq(events, 0)).toBe(0);
    expect(positionOfSeq(events, 99)).toBe(4);
    expect(seqAtPosition(events, 3)).toBe(4);
    expect(seqAtPosition(events, 0)).toBe(0);
  });

  it("steps and seeks within the log, and pauses on a step or a jump", () => {
    let state: TReplayCursor = { ...atEnd(events), playing: true };
    state = replayReducer(state, { type: "step", by: -1 });
    expect(state).toMatchObject({ position: 3, playing: false });
    expect(replayReducer(state, { type: "step", by: 10 }).position).toBe(4);
    expect(replayReducer(state, { type: "seek", position: -5 }).position).toBe(0);
    expect(replayReducer({ ...state, playing: true }, { type: "seek_seq", seq: 2 })).toMatchObject({ position: 2, playing: false });
  });

  it("plays from the start when at the end, and stops when it gets there", () => {
    let state = replayReducer(atEnd(events), { type: "toggle" });
    expect(state).toMatchObject({ position: 0, playing: true });
    state = replayReducer(state, { type: "advance", position: 2 });
    expect(state).toMatchObject({ position: 2, playing: true });
    state = replayReducer(state, { type: "advance", position: 4 });
    expect(state).toMatchObject({ position: 4, playing: false });
    expect(replayReducer(initialCursor([]), { type: "play" }).playing).toBe(false);
  });

  it("follows the log when at its end and paused, and stays put otherwise", () => {
    const more = [ev(8, 6_000), ev(9, 6_100)];
    expect(replayReducer(atEnd(events), { type: "append", events: more }).position).toBe(6);
    // an empty log opens at its start, which is its end: it follows the session live
    expect(replayReducer(initialCursor([]), { type: "append", events: more }).position).toBe(2);
    expect(replayReducer(initialCursor(events), { type: "append", events: more }).position).toBe(0);
    const back = replayReducer(replayReducer(atEnd(events), { type: "step", by: -2 }), { type: "append", events: more });
    expect(back.position).toBe(2);
    expect(back.events).toHaveLength(6);
  });

  it("takes each seq once, in order, whatever the batches", () => {
    let state = initialCursor(events);
    state = replayReducer(state, { type: "append", events: [ev(9, 1), ev(7, 1), ev(8, 1)] });
    state = replayReducer(state, { type: "append", events: [ev(8, 1), ev(9, 1)] });
    expect(state.events.map((e) => e.seq)).toEqual([1, 2, 4, 7, 8, 9]);
    const same = replayReducer(state, { type: "append", events: [ev(9, 1)] });
    expect(same).toBe(state);
  });

  it("replays the real gaps between events, skips idle ones, and carries what is left to the next frame", () => {
    expect(stepDelayMs(events, 1)).toBe(MIN_STEP_MS); // 10 ms apart
    expect(stepDelayMs(events, 2)).toBe(IDLE_PAUSE_MS); // 5 s of waiting plays as a short pause
    expect(stepDelayMs(events, 3)).toBe(400);
    expect(advanceBy(events, 0, MIN_STEP_MS * 2 + 5)).toEqual({ position: 2, leftMs: 5 });
    expect(advanceBy(events, 2, IDLE_PAUSE_MS + 400)).toEqual({ position: 4, leftMs: 0 });
  });

  it("skips a gap only beyond the threshold: 2 s plays in full, a moment more is a short pause", () => {
    const log = [ev(1, 0), ev(2, IDLE_GAP_MS), ev(3, IDLE_GAP_MS * 2 + 1), ev(4, 3_600_000)];
    expect(stepDelayMs(log, 1)).toBe(IDLE_GAP_MS);
    expect(stepDelayMs(log, 2)).toBe(IDLE_PAUSE_MS);
    expect(stepDelayMs(log, 3)).toBe(IDLE_PAUSE_MS); // an hour away
    // the whole hour-long log plays in about 3.2 s at 1×
    expect(advanceBy(log, 0, IDLE_GAP_MS + 2 * IDLE_PAUSE_MS + MIN_STEP_MS)).toEqual({ position: 4, leftMs: 0 });
  });
});

describe("PrefixFolder", () => {
  it("gives the fold of any prefix, moving back and forth, as a fresh fold would", () => {
    const folder = new PrefixFolder({ model: "sonnet" }, 7);
    for (const n of [LOG.length, 3, 20, 19, 0, 45, 8, LOG.length, 1, 33, 34, 35]) {
      const expected = timelineOf(LOG.slice(0, n), { model: "sonnet" });
      const got = folder.at(LOG, n);
      expect(got.items).toEqual(expected.items);
      expect(got.session).toEqual(expected.session);
      expect(got.costUsd).toBeCloseTo(expected.costUsd ?? 0, 12);
    }
  });

  it("keeps up with a log that grows", () => {
    const folder = new PrefixFolder({}, 5);
    expect(folder.at(LOG.slice(0, 12), 12).eventCount).toBe(12);
    expect(folder.at(LOG, LOG.length).items).toEqual(timelineOf(LOG).items);
  });
});

