import { describe, expect, it } from "vitest";
import type { TEventBody, TStoredEvent } from "@/lib/event-log/events";
import { foldSessionState, INITIAL_SESSION_STATE } from "@/lib/event-log/fold";
import { parseAgentConfig } from "@/lib/harness/agent-config";
import { buildModelRequest } from "@/lib/harness/build-model-request";
import { planNextStep } from "@/lib/harness/plan-next-step";
import { readLog } from "@/lib/harness/read-log";
import { NOT_RUN_IN_FORK, planForkLog, type TForkedEvent } from "@/lib/sessions/fork-log";

/**
 * The fork's log as the harness will read it: whatever the cut, the fork is idle with nothing open,
 * and the next message makes a model request in which every tool use has its result.
 */
const USAGE = { input_tokens: 10, output_tokens: 5, cache_read_input_tokens: 0, cache_creation_input_tokens: 0 };

class Log {
  readonly events: TStoredEvent[] = [];
  add(body: TEventBody): TStoredEvent {
    const seq = this.events.length + 1;
    const at = new Date(Date.UTC(2026, 0, 1, 12, 0, seq)).toISOString();
    const event: TStoredEvent = { id: `sevt_orig${seq}`, sessionId: "sesn_orig", seq, processedAt: at, createdAt: at, body };
    this.events.push(event);
    return event;
  }
}

/** A finished turn with a bash call, then a second turn that is cut in the middle of its tool call. */
function original() {
  const log = new Log();
  const hello = log.add({ type: "user.message", content: [{ type: "text", text: "list the files" }] });
  log.add({ type: "session.status_running" });
  const start1 = log.add({ type: "span.model_request_start" });
  const use1 = log.add({ type: "agent.tool_use", name: "bash", input: { command: "ls" }, evaluated_permission: "allow" });
  log.add({ type: "span.model_request_end", model_request_start_id: start1.id, is_error: false, model_usage: USAGE });
  log.add({ type: "span.sandbox_status", status: "ready", provider: "local", sandbox_id: "sbx_1", reason: null, duration_ms: 5 });
  log.add({ type: "span.tool_execution_start", tool_use_id: use1.id });
  log.add({ type: "agent.tool_result", tool_use_id: use1.id, content: [{ type: "text", text: "a.txt" }] });
  const start2 = log.add({ type: "span.model_request_start" });
  log.add({ type: "agent.message", content: [{ type: "text", text: "There is a.txt." }] });
  log.add({ type: "span.model_request_end", model_request_start_id: start2.id, is_error: false, model_usage: USAGE });
  const idle = log.add({ type: "session.status_idle", stop_reason: { type: "end_turn" } });
  log.add({ type: "user.message", content: [{ type: "text", text: "delete it" }] });
  log.add({ type: "session.status_running" });
  const start3 = log.add({ type: "span.model_request_start" });
  const use2 = log.add({ type: "agent.tool_use", name: "bash", input: { command: "rm a.txt" }, evaluated_permission: "allow" });
  const end3 = log.add({ type: "span.model_request_end", model_request_start_id: start3.id, is_error: false, model_usage: USAGE });
  const started = log.add({ type: "span.tool_execution_start", tool_use_id: use2.id });
  return { log, hello, use1, idle, start3, use2, end3, started };
}

let counter = 0;
function fork(log: Log, cut: TStoredEvent): TForkedEvent[] {
  return planForkLog({ source: { sessionId: "sesn_orig", cut }, events: log.events, newId: () => `sevt_fork${++counter}`, now: "2026-02-01T00:00:00.000Z" });
}

/** The fork's log as stored, plus a new message, as the harness reads it. */
function withNextMessage(events: TForkedEvent[]): TStoredEvent[] {
  const stored = events.map((e, i): TStoredEvent => ({ id: e.id, sessionId: "sesn_fork", seq: i + 1, processedAt: e.processedAt, createdAt: e.createdAt, body: e.body }));
  const seq = stored.length + 1;
  stored.push({ id: "sevt_next", sessionId: "sesn_fork", seq, processedAt: null, createdAt: "2026-02-01T00:00:01.000Z", body: { type: "user.message", content: [{ type: "text", text: "and now?" }] } });
  return stored;
}

const agent = parseAgentConfig({ model: "claude-test", system: null, tools: [{ type: "agent_toolset_20260401" }] });

function expectReadyForNextMessage(events: TForkedEvent[]) {
  const state = foldSessionState(INITIAL_SESSION_STATE, events.map((e, i) => ({ seq: i + 1, body: e.body })));
  expect(state.status).toBe("idle");
  expect(state.stopReason?.type ?? "end_turn").toBe("end_turn");
  const next = withNextMessage(events);
  expect(planNextStep(readLog(next))).toEqual({ type: "call_model", before: [{ type: "session.status_running" }] });
  // every tool_use the model is shown has its tool_result
  const blocks = buildModelRequest(next, agent).messages.flatMap((m) => (Array.isArray(m.content) ? m.content : []));
  const uses = blocks.flatMap((b) => (b.type === "tool_use" ? [b.id] : []));
  const results = blocks.flatMap((b) => (b.type === "tool_result" ? [b.tool_use_id] : []));
  expect(results.sort()).toEqual(uses.sort());
}

describe("planForkLog", () => {
  it("at an idle between turns: copies with new ids and rewritten references, then the origin, and nothing closed", () => {
    const { log, idle, use1 } = original();
    const events = fork(log, idle);
    expect(events).toHaveLength(12);
    expect(events[11]!.body).toEqual({ type: "span.fork_origin", session_id: "sesn_orig", event_id: idle.id, event_seq: idle.seq, copied_events: 11 });
    const copies = events.slice(0, 11);
    // the sandbox status is not copied: the fork gets a fresh sandbox
    expect(copies.map((e) => e.body.type)).not.toContain("span.sandbox_status");
    expect(copies.every((e) => e.id.startsWith("sevt_fork"))).toBe(true);
    // the original's content and times, references pointing at the copies
    const copiedUse = copies.find((e) => e.body.type === "agent.tool_use")!;
    expect(copiedUse.body).toEqual(use1.body);
    expect(copiedUse.processedAt).toBe(use1.processedAt);
    expect(copies.find((e) => e.body.type === "agent.tool_result")!.body).toMatchObject({ tool_use_id: copiedUse.id });
    expect(copies.find((e) => e.body.type === "span.tool_execution_start")!.body).toMatchObject({ tool_use_id: copiedUse.id });
    const starts = copies.filter((e) => e.body.type === "span.model_request_start").map((e) => e.id);
    expect(copies.filter((e) => e.body.type === "span.model_request_end").map((e) => (e.body as { model_request_start_id: string }).model_request_start_id)).toEqual(starts);
    expect(copies.at(-1)!.body).toEqual(idle.body);
    expectReadyForNextMessage(events);
  });

  it("at a message that starts a turn: the message stays, unanswered, and is read with the next one", () => {
    const { log, hello } = original();
    const events = fork(log, hello);
    expect(events.map((e) => e.body.type)).toEqual(["user.message", "span.fork_origin"]);
    expectReadyForNextMessage(events);
    const request = buildModelRequest(withNextMessage(events), agent);
    expect(request.messages).toEqual([{ role: "user", content: [{ type: "text", text: "list the files" }, { type: "text", text: "and now?", cache_control: { type: "ephemeral" } }] }]);
  });

  it("mid-turn after a tool use that started but has no result: the call is answered as not run, and the fork goes idle", () => {
    const { log, started, use2 } = original();
    const events = fork(log, started);
    const origin = events.findIndex((e) => e.body.type === "span.fork_origin");
    expect(origin).toBe((events[origin]!.body as { copied_events: number }).copied_events);
    const closing = events.slice(origin + 1);
    const copiedUse = events.find((e) => e.body.type === "agent.tool_use" && e.processedAt === use2.processedAt)!;
    expect(closing.map((e) => e.body)).toEqual([
      { type: "agent.tool_result", tool_use_id: copiedUse.id, is_error: true, content: [{ type: "text", text: NOT_RUN_IN_FORK }] },
      { type: "session.status_idle", stop_reason: { type: "end_turn" }, stop_details: null },
    ]);
    expectReadyForNextMessage(events);
  });

  it("inside a model response (its end not reached): the request gets an error end and its tool use a result", () => {
    const { log, use2, start3 } = original();
    const events = fork(log, use2);
    const startCopy = events.find((e) => e.body.type === "span.model_request_start" && e.processedAt === start3.processedAt)!;
    const types = events.map((e) => e.body.type);
    expect(types.slice(-3)).toEqual(["span.model_request_end", "agent.tool_result", "session.status_idle"]);
    expect(events.at(-3)!.body).toMatchObject({ model_request_start_id: startCopy.id, is_error: true, model_usage: { input_tokens: 0, output_tokens: 0 } });
    expectReadyForNextMessage(events);
  });

  it("while running with a model request open: closed, idle", () => {
    const { log, start3 } = original();
    const events = fork(log, start3);
    expect(events.slice(-2).map((e) => e.body.type)).toEqual(["span.model_request_end", "session.status_idle"]);
    expectReadyForNextMessage(events);
  });

  it("waiting for a confirmation (idle, requires_action): the asked call is answered as not run and the fork ends its turn", () => {
    const log = new Log();
    log.add({ type: "user.message", content: [{ type: "text", text: "deploy" }] });
    log.add({ type: "session.status_running" });
    const start = log.add({ type: "span.model_request_start" });
    const use = log.add({ type: "agent.tool_use", name: "bash", input: { command: "deploy" }, evaluated_permission: "ask" });
    log.add({ type: "span.model_request_end", model_request_start_id: start.id, is_error: false, model_usage: USAGE });
    const waiting = log.add({ type: "session.status_idle", stop_reason: { type: "requires_action", event_ids: [use.id] } });
    const events = fork(log, waiting);
    const copiedUse = events.find((e) => e.body.type === "agent.tool_use")!;
    expect(events.find((e) => e.body.type === "session.status_idle")!.body).toEqual({ type: "session.status_idle", stop_reason: { type: "requires_action", event_ids: [copiedUse.id] } });
    expect(events.slice(-2).map((e) => e.body)).toEqual([
      { type: "agent.tool_result", tool_use_id: copiedUse.id, is_error: true, content: [{ type: "text", text: NOT_RUN_IN_FORK }] },
      { type: "session.status_idle", stop_reason: { type: "end_turn" }, stop_details: null },
    ]);
    expectReadyForNextMessage(events);
  });

  it("a terminated session's termination is not copied: the fork is open", () => {
    const { log } = original();
    const end = log.add({ type: "session.status_terminated" });
    const events = fork(log, end);
    expect(events.map((e) => e.body.type)).not.toContain("session.status_terminated");
    expect(events.at(-1)!.body).toEqual({ type: "session.status_idle", stop_reason: { type: "end_turn" }, stop_details: null });
    expectReadyForNextMessage(events);
  });
});
