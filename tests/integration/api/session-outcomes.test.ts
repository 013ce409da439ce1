import type Anthropic from "@anthropic-ai/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startScriptedApp, type ScriptedApp } from "@/tests/fixtures/scripted-app";
import { type MessagesApiServer, type MessagesRequest, type TTurn } from "@/tests/fixtures/messages-api";
import { collect, failure } from "@/tests/fixtures/sdk-client";
import { until } from "@/tests/fixtures/wait";

/**
 * Outcomes through the official SDK against the real server, whose harness calls the scripted
 * Messages API both as the agent and as the grader (the request that offers `submit_verdict`):
 * the session works until the grader is satisfied or the iterations run out, the grader's feedback
 * reaching the agent as its next input; a bad outcome is refused with nothing written.
 */
type TEvent = { type: string; id: string; [key: string]: unknown };

let api: MessagesApiServer;
let client: Anthropic;
let environmentId: string;

const text = (request: MessagesRequest) => JSON.stringify(request.body.messages);
const isGrader = (request: MessagesRequest) => (request.body.tools ?? []).some((t) => (t as { name?: string }).name === "submit_verdict");

/** The agent writes numbered drafts; the grader wants two revisions of "haiku", and is never pleased with "limerick". */
function respond(request: MessagesRequest): TTurn {
  const said = text(request);
  if (!isGrader(request)) {
    const drafts = request.body.messages.filter((m) => m.role === "assistant").length;
    return { content: [{ type: "text", text: `Draft ${drafts + 1}.` }] };
  }
  const earlier = said.split("[earlier verdict").length - 1;
  const pleased = said.includes("haiku") && earlier >= 2;
  const verdict = pleased ? { result: "satisfied", explanation: "All three lines scan." } : { result: "needs_revision", explanation: `Fix number ${earlier + 1}.` };
  return { content: [{ type: "tool_use", name: "submit_verdict", input: verdict }], usage: { input_tokens: 200, output_tokens: 20 } };
}

let scripted: ScriptedApp | undefined;
beforeAll(async () => {
  scripted = await startScriptedApp({ environmentName: "outcomes env", respond });
  ({ api, client, environmentId } = scripted);
});
afterAll(() => scripted?.stop());

const newSession = async (initial: unknown[] = []) => {
  const agent = await client.beta.agents.create({ name: "poet", model: "claude-sonnet-4-6", system: "You write poems." } as never);
  return client.beta.sessions.create({ agent: agent.id, environment_id: environmentId, ...(initial.length > 0 ? { initial_events: initial } : {}) } as never);
};
const outcome = (description: string, maxIterations?: number) => ({
  type: "user.define_outcome" as const,
  description,
  rubric: { type: "text" as const, content: "Three lines of 5, 7 and 5 syllables." },
  ...(maxIterations === undefined ? {} : { max_iterations: maxIterations }),
});
const events = async (sessionId: string) => (await collect(client.beta.sessions.events.list(sessionId))) as unknown as TEvent[];
const settled = (sessionId: string) =>
  until("the outcome settled and the session idle", async () => {
    const session = await client.beta.sessions.retrieve(sessionId);
    const done = session.status === "idle" && session.outcome_evaluations.every((o) => !["pending", "running", "evaluating", "needs_revision"].includes(o.result));
    return done && session.outcome_evaluations.length > 0 ? session : null;
  }, { timeoutMs: 30_000 });

describe("outcomes through the official SDK", () => {
  it("works until the grader is satisfied: two revisions, each with the grader's feedback as the agent's next input", async () => {
    const session = await newSession();
    const { data: [echo] } = (await client.beta.sessions.events.send(session.id, { events: [outcome("Write a haiku about the sea.")] })) as unknown as { data: TEvent[] };
    expect(echo).toMatchObject({ type: "user.define_outcome", max_iterations: 3, outcome_id: expect.stringMatching(/^outc_/) });

    const done = await settled(session.id);
    expect(done.outcome_evaluations).toEqual([
      { type: "outcome_evaluation", outcome_id: echo!.outcome_id, description: "Write a haiku about the sea.", iteration: 2, result: "satisfied", explanation: "All three lines scan.", completed_at: expect.any(String) },
    ]);
    expect(done.usage.input_tokens).toBeGreaterThanOrEqual(600); // the grader's three requests count

    const log = await events(session.id);
    const ends = log.filter((e) => e.type === "span.outcome_evaluation_end");
    expect(ends.map((e) => [e.iteration, e.result, e.explanation])).toEqual([
      [0, "needs_revision", "Fix number 1."],
      [1, "needs_revision", "Fix number 2."],
      [2, "satisfied", "All three lines scan."],
    ]);
    const starts = log.filter((e) => e.type === "span.outcome_evaluation_start");
    expect(ends.map((e) => e.outcome_evaluation_start_id)).toEqual(starts.map((e) => e.id));
    expect(log.filter((e) => e.type === "agent.message")).toHaveLength(3);
    expect(log.at(-1)).toMatchObject({ type: "session.status_idle", stop_reason: { type: "end_turn" } });

    // the agent read each verdict's feedback; the grader saw the rubric and the drafts
    const asked = api.requests.filter((r) => r.body && JSON.stringify(r.body.messages).includes("Write a haiku about the sea."));
    const agentRequests = asked.filter((r) => !isGrader(r as MessagesRequest));
    expect(agentRequests).toHaveLength(3);
    expect(JSON.stringify(agentRequests[1]!.body!.messages.at(-1))).toContain("Fix number 1.");
    expect(JSON.stringify(agentRequests[2]!.body!.messages.at(-1))).toContain("Fix number 2.");
    const lastGrader = asked.filter((r) => isGrader(r as MessagesRequest)).at(-1)!;
    expect(text(lastGrader as MessagesRequest)).toContain("Three lines of 5, 7 and 5 syllables.");
    expect(text(lastGrader as MessagesRequest)).toContain("Draft 3.");
  });

  it("stops at max_iterations_reached, after the agent's last word; an outcome can open a session", async () => {
    const session = await newSession([outcome("Write a limerick.", 2)]);
    expect(session.outcome_evaluations).toEqual([expect.objectContaining({ description: "Write a limerick.", iteration: 0, completed_at: null })]);
    const done = await settled(session.id);
    expect(done.outcome_evaluations[0]).toMatchObject({ result: "max_iterations_reached", iteration: 1, explanation: "Fix number 2." });
    const log = await events(session.id);
    expect(log.filter((e) => e.type === "span.outcome_evaluation_end").map((e) => e.result)).toEqual(["needs_revision", "max_iterations_reached"]);
    // one acknowledgment turn after the last verdict, then idle
    const lastEnd = log.findLastIndex((e) => e.type === "span.outcome_evaluation_end");
    expect(log.slice(lastEnd + 1).map((e) => e.type)).toEqual(["span.model_request_start", "agent.message", "span.model_request_end", "session.status_idle"]);
  });

  it("refuses an outcome with an empty rubric (400 naming the field), writing nothing", async () => {
    const session = await newSession();
    const bad = { ...outcome("Write a haiku."), rubric: { type: "text" as const, content: "" } };
    const error = await failure(client.beta.sessions.events.send(session.id, { events: [{ type: "user.message", content: [{ type: "text", text: "hi" }] }, bad] }));
    expect(error.status).toBe(400);
    expect(error.message).toContain("events[1].rubric.content");
    const tooMany = await failure(client.beta.sessions.events.send(session.id, { events: [outcome("Write a haiku.", 21)] }));
    expect(tooMany.status).toBe(400);
    expect(tooMany.message).toContain("events[0].max_iterations");
    expect(await events(session.id)).toEqual([]);
  });
});
