import { describe, expect, it } from "vitest";
import type { TEventBody, TStoredEvent } from "@/lib/event-log/events";
import { foldSessionState, INITIAL_SESSION_STATE } from "@/lib/event-log/fold";

let seq = 0;
const ev = (body: TEventBody): TStoredEvent => ({
  id: `sevt_${++seq}`,
  sessionId: "sesn_x",
  seq,
  processedAt: null,
  createdAt: "2026-01-01T00:00:00.000Z",
  body,
});
const end = (input: number, output: number): TEventBody => ({
  type: "span.model_request_end",
  model_request_start_id: "sevt_1",
  is_error: false,
  model_usage: { input_tokens: input, output_tokens: output, cache_read_input_tokens: 3, cache_creation_input_tokens: 4 },
});

describe("foldSessionState", () => {
  it("follows the status lifecycle and keeps the last stop reason", () => {
    seq = 0;
    const log = [
      ev({ type: "user.message", content: [{ type: "text", text: "hi" }] }),
      ev({ type: "session.status_running" }),
      ev({ type: "agent.custom_tool_use", name: "lookup", input: {} }),
      ev({ type: "session.status_idle", stop_reason: { type: "requires_action", event_ids: ["sevt_3"] } }),
    ];
    const state = foldSessionState(INITIAL_SESSION_STATE, log);
    expect(state).toMatchObject({ status: "idle", stopReason: { type: "requires_action", event_ids: ["sevt_3"] }, lastSeq: 4 });
    const resumed = foldSessionState(state, [ev({ type: "session.status_running" })]);
    expect(resumed).toMatchObject({ status: "running", stopReason: null, lastSeq: 5 });
    expect(foldSessionState(resumed, [ev({ type: "session.status_rescheduled" })]).status).toBe("rescheduling");
  });

  it("sums token usage and list cost over model request ends", () => {
    seq = 0;
    const priced = (input: number, output: number, cost: number | null): TEventBody => ({ ...end(input, output), model: "m", list_cost_nano_usd: cost }) as TEventBody;
    const state = foldSessionState(INITIAL_SESSION_STATE, [ev(priced(10, 1, 500)), ev(priced(20, 2, 1200))]);
    expect(state.usage).toEqual({ input_tokens: 30, output_tokens: 3, cache_read_input_tokens: 6, cache_creation_input_tokens: 8, list_cost_nano_usd: 1700, unpriced_requests: 0 });
    // a model without a list price (null), or a request logged before costs were recorded (absent): unpriced
    const unknown = foldSessionState(state, [ev(priced(1, 1, null)), ev(end(1, 1))]);
    expect(unknown.usage).toMatchObject({ input_tokens: 32, list_cost_nano_usd: 1700, unpriced_requests: 2 });
    // a request that used nothing (an interrupted one) costs nothing, whatever its model
    const empty = { ...end(0, 0), model_usage: { input_tokens: 0, output_tokens: 0, cache_read_input_tokens: 0, cache_creation_input_tokens: 0 } } as TEventBody;
    expect(foldSessionState(state, [ev(empty)]).usage).toEqual(state.usage);
  });

  it("gives the same state folded at once or in pieces", () => {
    seq = 0;
    const log = [
      ev({ type: "session.status_running" }),
      ev(end(1, 2)),
      ev({ type: "session.status_idle", stop_reason: { type: "end_turn" } }),
      ev({ type: "session.status_running" }),
      ev(end(3, 4)),
    ];
    const whole = foldSessionState(INITIAL_SESSION_STATE, log);
    const pieces = log.reduce((state, e) => foldSessionState(state, [e]), INITIAL_SESSION_STATE);
    expect(pieces).toEqual(whole);
    expect(whole).toMatchObject({ status: "running", lastSeq: 5 });
  });

  it("treats terminated as final and does not mutate its input", () => {
    seq = 0;
    const frozen = Object.freeze({ ...INITIAL_SESSION_STATE });
    const state = foldSessionState(frozen, [ev({ type: "session.status_terminated" }), ev({ type: "session.status_running" }), ev(end(5, 5))]);
    expect(state.status).toBe("terminated");
    expect(state.usage.input_tokens).toBe(0);
    expect(state.lastSeq).toBe(3);
    expect(frozen).toEqual(INITIAL_SESSION_STATE);
  });
});
