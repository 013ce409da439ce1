import { describe, expect, it } from "vitest";
import { parseVerdict, VERDICT_TOOL_NAME } from "@/lib/harness/build-grader-request";
import { wake } from "@/lib/harness/wake";
import { textTurn, type TScriptedTurn } from "@/lib/model/scripted-model-client";
import type { TModelRequest } from "@/lib/model/types";
import { foldOutcomes, outcomeEvaluationsToWire } from "@/lib/event-log/outcomes";
import { until } from "@/tests/fixtures/wait";
import { harnessFixture, ofType } from "./harness-fixture";

const outcome = (maxIterations = 3) => ({
  type: "user.define_outcome",
  description: "Write a haiku about the sea.",
  rubric: { type: "text", content: "Three lines; 5-7-5 syllables; mentions waves." },
  max_iterations: maxIterations,
  outcome_id: "outc_test",
});
const verdict = (result: string, explanation: string): TScriptedTurn => ({
  content: [{ type: "tool_use", id: `toolu_v_${result}_${Math.random()}`, name: VERDICT_TOOL_NAME, input: { result, explanation } }],
  usage: { input_tokens: 100, output_tokens: 10 },
});
const isGrader = (request: TModelRequest) => (request.tools ?? []).some((t) => t.name === VERDICT_TOOL_NAME);
const lastUserText = (request: TModelRequest) => {
  const last = request.messages.at(-1)!;
  return (last.content as Array<{ type: string; text?: string }>).map((b) => b.text ?? "").join("");
};

/** A model that answers the agent's requests with `agent` and the grader's with `grader`, in order. */
function script(agent: TScriptedTurn[], grader: TScriptedTurn[]) {
  return (request: TModelRequest) => (isGrader(request) ? grader.shift() : agent.shift()) ?? { error: new Error("unexpected call") as never };
}

describe("wake: outcomes", () => {
  it("grades the work after each turn: two revisions with the grader's feedback as input, then satisfied", async () => {
    const h = await harnessFixture({
      script: script(
        [textTurn("Draft one."), textTurn("Draft two."), textTurn("Draft three.")],
        [verdict("needs_revision", "Line 2 has 6 syllables."), verdict("needs_revision", "No waves."), verdict("satisfied", "All criteria met.")],
      ),
    });
    await h.send(outcome());
    await wake(h.sessionId, h.deps);
    const events = await h.events();
    const types = events.map((e) => e.body.type).filter((t) => t !== "span.model_request_start" && t !== "span.model_request_end");
    expect(types).toEqual([
      "user.define_outcome",
      "session.status_running",
      "agent.message",
      "span.outcome_evaluation_start",
      "span.outcome_evaluation_end",
      "agent.message",
      "span.outcome_evaluation_start",
      "span.outcome_evaluation_end",
      "agent.message",
      "span.outcome_evaluation_start",
      "span.outcome_evaluation_end",
      "session.status_idle",
    ]);
    const ends = ofType(events, "span.outcome_evaluation_end");
    expect(ends.map((e) => [e.body.iteration, e.body.result])).toEqual([
      [0, "needs_revision"],
      [1, "needs_revision"],
      [2, "satisfied"],
    ]);
    const starts = ofType(events, "span.outcome_evaluation_start");
    expect(ends.map((e) => e.body.outcome_evaluation_start_id)).toEqual(starts.map((s) => s.id));
    expect(ends[0]!.body.usage.input_tokens).toBe(100);

    const calls = h.model.calls.map((c) => c.request);
    const agentCalls = calls.filter((r) => !isGrader(r));
    const graderCalls = calls.filter(isGrader);
    expect(agentCalls).toHaveLength(3);
    expect(lastUserText(agentCalls[0]!)).toContain("Write a haiku about the sea.");
    expect(lastUserText(agentCalls[0]!)).toContain("mentions waves");
    expect(lastUserText(agentCalls[1]!)).toContain("Line 2 has 6 syllables.");
    expect(lastUserText(agentCalls[2]!)).toContain("No waves.");
    // the grader sees the rubric and the agent's visible work, and has no other tool
    expect(graderCalls).toHaveLength(3);
    expect(graderCalls[2]!.tools!.map((t) => t.name)).toEqual([VERDICT_TOOL_NAME]);
    expect(lastUserText(graderCalls[2]!)).toContain("Three lines; 5-7-5 syllables");
    expect(lastUserText(graderCalls[2]!)).toContain("Draft three.");
    expect(lastUserText(graderCalls[0]!)).not.toContain("Draft two.");

    const session = await h.store.getSession(h.sessionId);
    expect(session?.state).toMatchObject({ status: "idle", stopReason: { type: "end_turn" } });
    // the grader's tokens count in the session's usage
    const agentTokens = ofType(events, "span.model_request_end").reduce((n, e) => n + e.body.model_usage.input_tokens, 0);
    expect(session!.state.usage.input_tokens).toBe(agentTokens + 300);
    expect(outcomeEvaluationsToWire(foldOutcomes(events))).toEqual([
      expect.objectContaining({ type: "outcome_evaluation", outcome_id: "outc_test", iteration: 2, result: "satisfied", explanation: "All criteria met.", completed_at: expect.any(String) }),
    ]);
  });

  it("records max_iterations_reached on the last evaluation, lets the agent answer once, then goes idle", async () => {
    const h = await harnessFixture({
      script: script([textTurn("One."), textTurn("Two."), textTurn("I could not meet: waves.")], [verdict("needs_revision", "No waves."), verdict("needs_revision", "Still no waves.")]),
    });
    await h.send(outcome(2));
    await wake(h.sessionId, h.deps);
    const events = await h.events();
    expect(ofType(events, "span.outcome_evaluation_end").map((e) => e.body.result)).toEqual(["needs_revision", "max_iterations_reached"]);
    expect(ofType(events, "agent.message")).toHaveLength(3);
    expect(events.at(-1)!.body).toMatchObject({ type: "session.status_idle", stop_reason: { type: "end_turn" } });
    expect(lastUserText(h.model.calls.at(-1)!.request)).toContain("Still no waves.");
    expect(foldOutcomes(events)[0]!.status).toBe("max_iterations_reached");
  });

  it("runs an evaluation again under the same start when its harness died before the verdict", async () => {
    const h = await harnessFixture({ script: script([], [verdict("satisfied", "Fine.")]) });
    await h.send(outcome(), { type: "session.status_running" }, { type: "span.model_request_start" });
    const [start] = await h.events().then((e) => ofType(e, "span.model_request_start"));
    await h.send(
      { type: "agent.message", content: [{ type: "text", text: "Done." }] },
      { type: "span.model_request_end", model_request_start_id: start!.id, is_error: false, model_usage: { input_tokens: 1, output_tokens: 1, cache_read_input_tokens: 0, cache_creation_input_tokens: 0 } },
      { type: "span.outcome_evaluation_start", outcome_id: "outc_test", iteration: 0 },
    );
    await wake(h.sessionId, h.deps);
    const events = await h.events();
    expect(ofType(events, "span.outcome_evaluation_start")).toHaveLength(1);
    expect(ofType(events, "span.outcome_evaluation_end")[0]!.body).toMatchObject({
      outcome_evaluation_start_id: ofType(events, "span.outcome_evaluation_start")[0]!.id,
      result: "satisfied",
    });
    expect(h.model.calls).toHaveLength(1);
  });

  it("ends an evaluation in progress as interrupted when the user interrupts", async () => {
    const h = await harnessFixture({ script: (request) => (isGrader(request) ? { hang: true } : textTurn("Done.")) });
    await h.send(outcome());
    const running = wake(h.sessionId, h.deps);
    await until("the grader at work", async () => (await h.types()).includes("span.outcome_evaluation_start"));
    await h.send({ type: "user.interrupt" });
    await running;
    const events = await h.events();
    expect(ofType(events, "span.outcome_evaluation_end")[0]!.body).toMatchObject({ result: "interrupted", iteration: 0 });
    expect(events.at(-1)!.body).toMatchObject({ type: "session.status_idle", stop_reason: { type: "end_turn" } });
    expect(foldOutcomes(events)[0]!.status).toBe("interrupted");
  });

  it("ends the outcome failed when the grader gives no verdict", async () => {
    const h = await harnessFixture({ script: script([textTurn("Done.")], [textTurn("Looks fine to me, I think.")]) });
    await h.send(outcome());
    await wake(h.sessionId, h.deps);
    const events = await h.events();
    expect(ofType(events, "span.outcome_evaluation_end")[0]!.body).toMatchObject({ result: "failed", explanation: expect.stringContaining("no verdict") });
    expect(events.at(-1)!.body.type).toBe("session.status_idle");
  });

  it("does not call the grader once the budget is reached", async () => {
    const h = await harnessFixture({ script: script([textTurn("Done.")], []) });
    await h.send(outcome());
    const { planNextStep } = await import("@/lib/harness/plan-next-step");
    const { readLog } = await import("@/lib/harness/read-log");
    await h.send({ type: "session.status_running" }, { type: "agent.message", content: [{ type: "text", text: "x" }] });
    const log = readLog(await h.events());
    // the model never answered the outcome here: the input still needs the model
    expect(planNextStep(log).type).toBe("call_model");
    const answered = { ...log, lastEndedRequestStartSeq: log.lastInputSeq + 1 };
    expect(planNextStep(answered)).toMatchObject({ type: "evaluate_outcome", evaluation: null });
    expect(planNextStep(answered, { budgetReached: true })).toEqual({
      type: "append",
      events: [{ type: "session.status_idle", stop_reason: { type: "budget_reached" }, stop_details: null }],
    });
  });
});

describe("parseVerdict", () => {
  it("reads the submit_verdict call, else the last JSON verdict in the text, else nothing", () => {
    expect(parseVerdict([{ type: "tool_use", id: "t", name: VERDICT_TOOL_NAME, input: { result: "satisfied", explanation: "ok" } }])).toEqual({ result: "satisfied", explanation: "ok" });
    expect(parseVerdict([{ type: "text", text: 'Thinking {"a": 1}… Verdict: {"result": "needs_revision", "explanation": "fix {x}"} done' }])).toEqual({
      result: "needs_revision",
      explanation: "fix {x}",
    });
    expect(parseVerdict([{ type: "text", text: '{"result": "maybe"}' }])).toBeNull();
    expect(parseVerdict([{ type: "text", text: "}{ no json {" }])).toBeNull();
    expect(parseVerdict([{ type: "tool_use", id: "t", name: VERDICT_TOOL_NAME, input: { result: "great" } }])).toBeNull();
  });
});
