import { describe, expect, it } from "vitest";
import { wake } from "@/lib/harness/wake";
import { textTurn, toolUseTurn } from "@/lib/model/scripted-model-client";
import { harnessFixture, heldFirstAnswer, userMessage } from "./harness-fixture";

/**
 * The turn's closing idle is appended with the model's answer, in one append, when the planner
 * would append it next and nothing else arrived meanwhile (closing-tail.ts); otherwise the turn goes
 * on as the log says.
 */

/** The event types of each append the bus published, in order. */
function appends(published: Awaited<ReturnType<typeof harnessFixture>>["published"]): string[][] {
  return published.flatMap((m) => (m.kind === "events" ? [m.events.map((e) => e.body.type)] : []));
}

describe("a turn's closing idle", () => {
  it("goes with the model's answer: the answer, its end and the idle in one append", async () => {
    const h = await harnessFixture({ script: [textTurn("done")] });
    await h.send(userMessage("hi"));
    await wake(h.sessionId, h.deps);
    expect(appends(h.published)).toEqual([
      ["user.message"],
      ["session.status_running", "span.model_request_start"],
      ["agent.message", "span.model_request_end", "session.status_idle"],
    ]);
    expect((await h.events()).at(-1)!.body).toEqual({ type: "session.status_idle", stop_reason: { type: "end_turn" }, stop_details: null });
    expect((await h.store.getSession(h.sessionId))?.state).toMatchObject({ status: "idle", stopReason: { type: "end_turn" } });
  });

  it("does not go when a message arrived while the model answered: the message is answered, then the turn ends once", async () => {
    // the first answer comes only once the second message is in
    const { script, release } = heldFirstAnswer("first", "second");
    const h = await harnessFixture({ script });
    await h.send(userMessage("one"));
    const waking = wake(h.sessionId, h.deps);
    while (h.model.calls.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    await h.send(userMessage("two")); // queued while the first call streams
    release();
    await waking;
    expect(h.model.calls).toHaveLength(2);
    const types = await h.types();
    expect(types.filter((t) => t === "session.status_idle")).toHaveLength(1);
    expect(types.at(-1)).toBe("session.status_idle");
    expect(appends(h.published)).toContainEqual(["agent.message", "span.model_request_end"]); // the first answer, alone
    expect(appends(h.published).at(-1)).toEqual(["agent.message", "span.model_request_end", "session.status_idle"]);
  });

  it("does not go with an answer that calls a tool: the tool runs, and the next answer closes the turn", async () => {
    const h = await harnessFixture({ script: [toolUseTurn("bash", { command: "echo hi" }), textTurn("it said hi")] });
    await h.send(userMessage("run it"));
    await wake(h.sessionId, h.deps);
    const batches = appends(h.published);
    expect(batches).toContainEqual(["agent.tool_use", "span.model_request_end"]);
    expect(batches.at(-1)).toEqual(["agent.message", "span.model_request_end", "session.status_idle"]);
    expect((await h.types()).filter((t) => t === "session.status_idle")).toHaveLength(1);
  });
});
