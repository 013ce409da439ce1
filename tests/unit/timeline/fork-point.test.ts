import { describe, expect, it } from "vitest";
import type { TEventBody } from "@/lib/event-log/events";
import { timelineOf, type TTimelineEvent } from "@/lib/timeline/fold-timeline";
import { forkPointOf } from "@/lib/timeline/fork-point";

/** Where "Fork from here" on each kind of timeline item cuts the log. */
const USAGE = { input_tokens: 1, output_tokens: 1, cache_read_input_tokens: 0, cache_creation_input_tokens: 0 };

function log(bodies: TEventBody[]): TTimelineEvent[] {
  return bodies.map((body, i) => ({ ...body, id: `sevt_${i + 1}`, seq: i + 1, processed_at: null }) as TTimelineEvent);
}

describe("forkPointOf", () => {
  const events = log([
    { type: "user.message", content: [{ type: "text", text: "run it" }] }, // 1
    { type: "session.status_running" }, // 2
    { type: "span.model_request_start" }, // 3
    { type: "agent.message", content: [{ type: "text", text: "Running." }] }, // 4
    { type: "agent.tool_use", name: "bash", input: { command: "ls" }, evaluated_permission: "ask" }, // 5
    { type: "span.model_request_end", model_request_start_id: "sevt_3", is_error: false, model_usage: USAGE }, // 6
    { type: "session.status_idle", stop_reason: { type: "requires_action", event_ids: ["sevt_5"] } }, // 7
    { type: "user.tool_confirmation", tool_use_id: "sevt_5", result: "allow" }, // 8
    { type: "session.status_running" }, // 9
    { type: "agent.tool_result", tool_use_id: "sevt_5", content: [{ type: "text", text: "a.txt" }] }, // 10
    { type: "span.model_request_start" }, // 11
    { type: "agent.message", content: [{ type: "text", text: "Still thinking" }] }, // 12 (its request has no end yet)
  ]);
  const { items } = timelineOf(events);
  const at = (kind: string, nth = 0) => forkPointOf(items, items.map((item, i) => [item, i] as const).filter(([item]) => item.kind === kind)[nth]![1]);

  it("a message of the person: the message itself", () => {
    expect(at("user_message")).toEqual({ id: "sevt_1", seq: 1 });
  });
  it("the agent's words: the end of the response they came in, not the middle of it", () => {
    expect(at("agent_message")).toEqual({ id: "sevt_6", seq: 6 });
  });
  it("words of a response still streaming: the words themselves", () => {
    expect(at("agent_message", 1)).toEqual({ id: "sevt_12", seq: 12 });
  });
  it("a tool call: its latest event (the result after the confirmation)", () => {
    expect(at("tool_call")).toEqual({ id: "sevt_10", seq: 10 });
  });
  it("a model request: its end, or its start while it runs", () => {
    expect(at("model_request")).toEqual({ id: "sevt_6", seq: 6 });
    expect(at("model_request", 1)).toEqual({ id: "sevt_11", seq: 11 });
  });
  it("a status row: itself", () => {
    expect(at("status")).toEqual({ id: "sevt_2", seq: 2 });
  });
});
