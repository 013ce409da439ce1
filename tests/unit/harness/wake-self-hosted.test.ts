import { describe, expect, it } from "vitest";
import type { TSessionHands } from "@/lib/harness/session-hands";
import { wake } from "@/lib/harness/wake";
import { textTurn, toolUseTurn } from "@/lib/model/scripted-model-client";
import { harnessFixture, ofType, textOf, userMessage } from "./harness-fixture";

/** Hands that say the session's tools run on workers, and count the work items asked for. */
function workerHands(byWorkers = true): TSessionHands & { requests: string[] } {
  const requests: string[] = [];
  return {
    requests,
    environments: async () => [{ id: "env_primary", name: null, primary: true, byWorkers }],
    request: async (sessionId) => void requests.push(sessionId),
  };
}

describe("wake: a self-hosted environment's built-in tools wait for its workers", () => {
  it("runs no built-in tool: idle requires_action listing it, a work item asked for, then continues on user.tool_result", async () => {
    const hands = workerHands();
    const h = await harnessFixture({ script: [toolUseTurn("bash", { command: "echo hi" }), textTurn("It printed hi.")], deps: { hands } });
    await h.send(userMessage("run echo hi"));
    await wake(h.sessionId, h.deps);
    let events = await h.events();
    const use = ofType(events, "agent.tool_use")[0]!;
    expect(use.body).toMatchObject({ name: "bash", evaluated_permission: "allow" });
    expect(ofType(events, "session.status_idle").at(-1)!.body.stop_reason).toEqual({ type: "requires_action", event_ids: [use.id] });
    expect(ofType(events, "agent.tool_result")).toHaveLength(0);
    expect(ofType(events, "span.tool_execution_start")).toHaveLength(0);
    expect(h.provider.provisionCalls).toHaveLength(0); // no platform sandbox
    expect(hands.requests).toEqual([h.sessionId]);

    // woken again with nothing new: it still waits, and makes sure a worker is asked for (idempotent)
    await wake(h.sessionId, h.deps);
    expect(hands.requests).toEqual([h.sessionId, h.sessionId]);
    expect((await h.events()).length).toBe(events.length);

    await h.send({ type: "user.tool_result", tool_use_id: use.id, content: [{ type: "text", text: "hi\n" }] });
    await wake(h.sessionId, h.deps);
    events = await h.events();
    expect(textOf(ofType(events, "agent.message").at(-1)!)).toBe("It printed hi.");
    expect(ofType(events, "session.status_idle").at(-1)!.body.stop_reason).toEqual({ type: "end_turn" });
    const second = h.model.calls[1]!.request.messages;
    expect(second.at(-1)).toMatchObject({ role: "user", content: [{ type: "tool_result", tool_use_id: use.id, is_error: false, content: [{ type: "text", text: "hi\n" }] }] });
    expect(h.provider.provisionCalls).toHaveLength(0);
  });

  it("runs the tool in the platform's sandbox when the environment is not self-hosted", async () => {
    const hands = workerHands(false);
    const h = await harnessFixture({ script: [toolUseTurn("bash", { command: "echo hi" }), textTurn("done")], deps: { hands } });
    await h.send(userMessage("run"));
    await wake(h.sessionId, h.deps);
    expect(ofType(await h.events(), "agent.tool_result")).toHaveLength(1);
    expect(hands.requests).toEqual([]);
  });

  it("closes a worker's call with an error result on interrupt", async () => {
    const hands = workerHands();
    const h = await harnessFixture({ script: [toolUseTurn("bash", { command: "sleep 100" })], deps: { hands } });
    await h.send(userMessage("run"));
    await wake(h.sessionId, h.deps);
    const use = ofType(await h.events(), "agent.tool_use")[0]!;
    await h.send({ type: "user.interrupt" });
    await wake(h.sessionId, h.deps);
    const events = await h.events();
    expect(ofType(events, "agent.tool_result")[0]!.body).toMatchObject({ tool_use_id: use.id, is_error: true });
    expect(ofType(events, "session.status_idle").at(-1)!.body.stop_reason).toEqual({ type: "end_turn" });
  });
});
