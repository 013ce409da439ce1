import { describe, expect, it } from "vitest";
import type { TEventBody, TStoredEvent } from "@/lib/event-log/events";
import { planNextStep } from "@/lib/harness/plan-next-step";
import { readLog } from "@/lib/harness/read-log";

const logOf = (...bodies: TEventBody[]): TStoredEvent[] =>
  bodies.map((body, i) => ({ id: `sevt_${i + 1}`, sessionId: "sesn_x", seq: i + 1, processedAt: null, createdAt: "2026-01-01T00:00:00.000Z", body }));
const message = (text: string): TEventBody => ({ type: "user.message", content: [{ type: "text", text }] });
const idle = (type: "end_turn" | "budget_reached"): TEventBody => ({ type: "session.status_idle", stop_reason: { type }, stop_details: null });
const turn = (text: string): TEventBody[] => [
  message(text),
  { type: "session.status_running" },
  { type: "span.model_request_start" },
  { type: "agent.message", content: [{ type: "text", text: "ok" }] },
  { type: "span.model_request_end", model_request_start_id: "sevt_3", is_error: false, model_usage: { input_tokens: 1, output_tokens: 1, cache_read_input_tokens: 0, cache_creation_input_tokens: 0 } },
  idle("end_turn"),
];

describe("planNextStep under a budget", () => {
  it("goes idle with budget_reached instead of calling the model, once per input", () => {
    const asked = logOf(...turn("first"), message("second"));
    expect(planNextStep(readLog(asked), { budgetReached: false })).toMatchObject({ type: "call_model" });
    expect(planNextStep(readLog(asked), { budgetReached: true })).toEqual({ type: "append", events: [idle("budget_reached")] });

    const told = logOf(...turn("first"), message("second"), idle("budget_reached"));
    expect(planNextStep(readLog(told), { budgetReached: true })).toEqual({ type: "wait" });
    // another message while the budget stays reached is answered with another idle
    const again = logOf(...turn("first"), message("second"), idle("budget_reached"), message("third"));
    expect(planNextStep(readLog(again), { budgetReached: true })).toEqual({ type: "append", events: [idle("budget_reached")] });
    // once raised, the unanswered messages go to the model
    expect(planNextStep(readLog(again), { budgetReached: false })).toMatchObject({ type: "call_model", before: [{ type: "session.status_running" }] });
  });

  it("stops a running turn before its next model request, and does not stop what needs no model", () => {
    const running = logOf(message("go"), { type: "session.status_running" }, { type: "user.message", content: [{ type: "text", text: "and more" }] });
    expect(planNextStep(readLog(running), { budgetReached: true })).toEqual({ type: "append", events: [idle("budget_reached")] });
    expect(planNextStep(readLog(logOf(...turn("done"))), { budgetReached: true })).toEqual({ type: "wait" });
  });
});
