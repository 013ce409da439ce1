import { describe, expect, it } from "vitest";
import type { TEventBody, TStoredEvent } from "@/lib/event-log/events";
import { applySessionDelta, foldSessionState, sessionDelta, type TSessionState, type TSessionStatus } from "@/lib/event-log/fold";

/**
 * `PrismaSessionStore` folds a batch onto a state it has not read, in SQL, by applying the batch's
 * `sessionDelta` as `applySessionDelta` does. That is right only if applying the delta equals
 * folding the batch, from every state: checked here over every status and many random batches.
 */
const BODIES: TEventBody[] = [
  { type: "user.message", content: [{ type: "text", text: "hi" }] },
  { type: "agent.message", content: [{ type: "text", text: "hello" }] },
  { type: "session.status_running" },
  { type: "session.status_idle", stop_reason: { type: "end_turn" }, stop_details: null },
  { type: "session.status_idle", stop_reason: { type: "requires_action", event_ids: ["sevt_a"] }, stop_details: null },
  { type: "session.status_rescheduled" },
  { type: "session.status_terminated" },
  { type: "span.model_request_start" },
  {
    type: "span.model_request_end",
    model_request_start_id: "sevt_s",
    is_error: false,
    model_usage: { input_tokens: 11, output_tokens: 3, cache_read_input_tokens: 5, cache_creation_input_tokens: 1 },
  },
  // priced, and of a model without a list price: the list cost folds the same way
  {
    type: "span.model_request_end",
    model_request_start_id: "sevt_s",
    is_error: false,
    model_usage: { input_tokens: 1000, output_tokens: 20, cache_read_input_tokens: 0, cache_creation_input_tokens: 0 },
    model: "claude-sonnet-4-6",
    list_cost_nano_usd: 3_300_000,
  },
  {
    type: "span.model_request_end",
    model_request_start_id: "sevt_s",
    is_error: false,
    model_usage: { input_tokens: 5, output_tokens: 5, cache_read_input_tokens: 0, cache_creation_input_tokens: 0 },
    model: "claude-unpriced",
    list_cost_nano_usd: null,
  },
] as TEventBody[];

function random(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const STATUSES: TSessionStatus[] = ["idle", "running", "rescheduling", "terminated"];
const BASES: TSessionState[] = STATUSES.flatMap((status) => [
  { status, stopReason: null, usage: { input_tokens: 0, output_tokens: 0, cache_read_input_tokens: 0, cache_creation_input_tokens: 0, list_cost_nano_usd: 0, unpriced_requests: 0 }, lastSeq: 0 },
  { status, stopReason: { type: "end_turn" }, usage: { input_tokens: 100, output_tokens: 20, cache_read_input_tokens: 7, cache_creation_input_tokens: 9, list_cost_nano_usd: 123_456, unpriced_requests: 0 }, lastSeq: 41 },
]);

const numbered = (base: TSessionState, bodies: TEventBody[]): TStoredEvent[] =>
  bodies.map((body, i) => ({ id: `sevt_${i}`, sessionId: "sesn_x", seq: base.lastSeq + 1 + i, processedAt: null, createdAt: "2026-01-01T00:00:00.000Z", body }));

describe("sessionDelta", () => {
  it("applied to any state, equals folding the batch onto it", () => {
    const next = random(7);
    let checked = 0;
    for (let round = 0; round < 500; round++) {
      const length = 1 + Math.floor(next() * 8);
      const batch = Array.from({ length }, () => BODIES[Math.floor(next() * BODIES.length)]!);
      const delta = sessionDelta(batch);
      for (const base of BASES) {
        expect(applySessionDelta(base, delta)).toEqual(foldSessionState(base, numbered(base, batch)));
        checked += 1;
      }
    }
    expect(checked).toBe(500 * BASES.length);
  });

  it("says what a batch sets, and nothing for what it leaves alone", () => {
    expect(sessionDelta([BODIES[1]!])).toEqual({
      count: 1,
      status: null,
      stopReason: null,
      usage: { input_tokens: 0, output_tokens: 0, cache_read_input_tokens: 0, cache_creation_input_tokens: 0, list_cost_nano_usd: 0, unpriced_requests: 0 },
    });
    expect(sessionDelta([BODIES[2]!])).toMatchObject({ status: "running", stopReason: { value: null } });
    expect(sessionDelta([BODIES[5]!])).toMatchObject({ status: "rescheduling", stopReason: null });
    // nothing after a termination counts
    expect(sessionDelta([BODIES[8]!, BODIES[6]!, BODIES[3]!, BODIES[8]!])).toMatchObject({
      count: 4,
      status: "terminated",
      stopReason: null,
      usage: { input_tokens: 11 },
    });
  });
});
