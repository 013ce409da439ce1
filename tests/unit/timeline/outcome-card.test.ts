import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { TimelineItem } from "@/components/timeline/timeline-item";
import type { TEventBody } from "@/lib/event-log/events";
import { foldTimeline, INITIAL_TIMELINE, timelineOf, type TOutcomeItem, type TTimelineEvent } from "@/lib/timeline/fold-timeline";

const USAGE = { input_tokens: 10, output_tokens: 2, cache_read_input_tokens: 0, cache_creation_input_tokens: 0 };

function log(bodies: Array<TEventBody & { id?: string }>): TTimelineEvent[] {
  return bodies.map((body, i) => ({ id: `sevt_${i + 1}`, ...body, seq: i + 1, processed_at: `2026-01-01T00:00:${String(i).padStart(2, "0")}Z` }) as TTimelineEvent);
}

const define: TEventBody = { type: "user.define_outcome", description: "Write a haiku.", rubric: { type: "text", content: "Three lines." }, max_iterations: 3, outcome_id: "outc_1" };
const start = (iteration: number): TEventBody => ({ type: "span.outcome_evaluation_start", outcome_id: "outc_1", iteration });
const end = (startId: string, iteration: number, result: "needs_revision" | "satisfied", explanation: string): TEventBody => ({
  type: "span.outcome_evaluation_end",
  outcome_evaluation_start_id: startId,
  outcome_id: "outc_1",
  iteration,
  result,
  explanation,
  usage: USAGE,
});

const LOG = log([
  define,
  { type: "session.status_running" },
  { type: "span.model_request_start" },
  { type: "agent.message", content: [{ type: "text", text: "Draft." }] },
  start(0), // seq 5
  { type: "span.outcome_evaluation_ongoing", outcome_id: "outc_1", iteration: 0 },
  end("sevt_5", 0, "needs_revision", "Line 2 is too long."),
  { type: "agent.message", content: [{ type: "text", text: "Draft two." }] },
  start(1), // seq 9
  end("sevt_9", 1, "satisfied", "All met."),
  { type: "session.status_idle", stop_reason: { type: "end_turn" }, stop_details: null },
]);

const outcomeItems = (items: readonly { kind: string }[]) => items.filter((i): i is TOutcomeItem => i.kind === "outcome");

describe("the outcome card of the timeline", () => {
  it("is one item, updated in place with each evaluation's verdict and feedback", () => {
    const timeline = timelineOf(LOG);
    const [card, ...others] = outcomeItems(timeline.items);
    expect(others).toEqual([]);
    expect(card!.outcome).toMatchObject({ outcomeId: "outc_1", description: "Write a haiku.", rubric: "Three lines.", status: "satisfied" });
    expect(card!.outcome.evaluations.map((e) => [e.iteration, e.end?.result, e.end?.explanation])).toEqual([
      [0, "needs_revision", "Line 2 is too long."],
      [1, "satisfied", "All met."],
    ]);
    // the evaluation's events point at the card
    const index = timeline.items.indexOf(card!);
    expect([5, 6, 7, 9, 10].map((seq) => timeline.itemOfSeq.get(seq))).toEqual([index, index, index, index, index]);
  });

  it("is the same folded in pieces, and shows the grader at work in between", () => {
    const first = foldTimeline(INITIAL_TIMELINE, LOG.slice(0, 5));
    expect(outcomeItems(first.items)[0]!.outcome.status).toBe("evaluating");
    const whole = foldTimeline(foldTimeline(first, LOG.slice(5, 8)), LOG.slice(8));
    expect(outcomeItems(whole.items)).toEqual(outcomeItems(timelineOf(LOG).items));
  });

  it("reads interrupted when a new outcome is defined or the user interrupts before it is graded", () => {
    const superseded = timelineOf(log([define, { ...define, outcome_id: "outc_2" } as TEventBody, { type: "user.interrupt" }]));
    expect(outcomeItems(superseded.items).map((i) => i.outcome.status)).toEqual(["interrupted", "interrupted"]);
  });

  it("renders the status, and each evaluation's verdict and feedback", () => {
    const card = outcomeItems(timelineOf(LOG).items)[0]!;
    const html = renderToStaticMarkup(createElement(TimelineItem, { item: card, place: "past", agentName: null, expanded: false, onToggle: () => {}, onJump: () => {} }));
    expect(html).toContain('data-testid="outcome-card"');
    expect(html).toContain("Write a haiku.");
    expect(html).toContain("Evaluation 1");
    expect(html).toContain("Needs revision");
    expect(html).toContain("Line 2 is too long.");
    expect(html).toContain("Evaluation 2");
    expect(html).toMatch(/data-testid="outcome-status" data-status="satisfied"/);
  });
});
