import { describe, expect, it } from "vitest";
import { wake } from "@/lib/harness/wake";
import { textTurn, toolUseTurn } from "@/lib/model/scripted-model-client";
import { ModelError } from "@/lib/model/types";
import { until } from "@/tests/fixtures/wait";
import { harnessFixture, heldFirstAnswer, ofType, textOf, userMessage } from "./harness-fixture";

describe("wake: turns", () => {
  it("answers a message: running, model request span, agent.message, idle end_turn — with no sandbox", async () => {
    const h = await harnessFixture({ script: [textTurn("Hello there")], system: "Be brief." });
    await h.send(userMessage("hi"));
    await wake(h.sessionId, h.deps);
    expect(await h.types()).toEqual([
      "user.message",
      "session.status_running",
      "span.model_request_start",
      "agent.message",
      "span.model_request_end",
      "session.status_idle",
    ]);
    const events = await h.events();
    expect(textOf(ofType(events, "agent.message")[0])).toBe("Hello there");
    expect(ofType(events, "session.status_idle")[0]!.body.stop_reason).toEqual({ type: "end_turn" });
    const end = ofType(events, "span.model_request_end")[0]!;
    expect(end.body.model_request_start_id).toBe(ofType(events, "span.model_request_start")[0]!.id);
    expect(end.body.model_usage.output_tokens).toBeGreaterThan(0);
    expect(h.provider.provisionCalls).toHaveLength(0); // lazy: no tool, no sandbox
    const request = h.model.calls[0]!.request;
    expect(request.model).toBe("claude-test-model");
    expect(request.messages).toEqual([{ role: "user", content: [{ type: "text", text: "hi", cache_control: { type: "ephemeral" } }] }]);
    expect(request.system).toEqual([{ type: "text", text: "Be brief.", cache_control: { type: "ephemeral" } }]);
    expect(request.tools?.at(-1)?.cache_control).toEqual({ type: "ephemeral" });
    expect((await h.store.getSession(h.sessionId))?.state.status).toBe("idle");
  });

  it("runs a built-in tool in a sandbox provisioned on first use and feeds the result back", async () => {
    const h = await harnessFixture({ script: [toolUseTurn("bash", { command: "echo hi" }, { text: "Let me run it." }), textTurn("It printed hi.")] });
    await h.send(userMessage("run echo hi"));
    await wake(h.sessionId, h.deps);
    const events = await h.events();
    const use = ofType(events, "agent.tool_use")[0]!;
    expect(use.body).toMatchObject({ name: "bash", input: { command: "echo hi" }, evaluated_permission: "allow" });
    const result = ofType(events, "agent.tool_result")[0]!;
    expect(result.body).toMatchObject({ tool_use_id: use.id, is_error: false });
    expect(textOf(result)).toContain("ran: echo hi");
    expect(ofType(events, "span.tool_execution_start")[0]!.body.tool_use_id).toBe(use.id);
    expect(h.provider.provisionCalls).toHaveLength(1);
    expect(h.provider.latest!.execCalls.map((c) => c.command)).toEqual(["echo hi"]);
    const second = h.model.calls[1]!.request.messages;
    expect(second.at(-2)).toMatchObject({ role: "assistant", content: [{ type: "text" }, { type: "tool_use", id: use.id, name: "bash" }] });
    expect(second.at(-1)).toMatchObject({ role: "user", content: [{ type: "tool_result", tool_use_id: use.id, is_error: false }] });
    expect(ofType(events, "session.status_idle").at(-1)!.body.stop_reason).toEqual({ type: "end_turn" });
  });

  it("hands custom tools to the client: idle requires_action, then continues on user.custom_tool_result", async () => {
    const tools = [{ type: "custom", name: "lookup", description: "Look up a record", input_schema: { type: "object", properties: { q: { type: "string" } } } }];
    const h = await harnessFixture({ tools, script: [toolUseTurn("lookup", { q: "ada" }), textTurn("Found Ada.")] });
    await h.send(userMessage("find ada"));
    await wake(h.sessionId, h.deps);
    let events = await h.events();
    const use = ofType(events, "agent.custom_tool_use")[0]!;
    expect(ofType(events, "session.status_idle").at(-1)!.body.stop_reason).toEqual({ type: "requires_action", event_ids: [use.id] });
    expect(h.model.calls).toHaveLength(1);
    expect(h.provider.provisionCalls).toHaveLength(0);
    expect(h.model.calls[0]!.request.tools?.map((t) => t.name)).toContain("lookup");

    await wake(h.sessionId, h.deps); // nothing new: stays waiting, appends nothing
    expect((await h.events()).length).toBe(events.length);

    await h.send({ type: "user.custom_tool_result", custom_tool_use_id: use.id, content: [{ type: "text", text: "Ada Lovelace" }] });
    await wake(h.sessionId, h.deps);
    events = await h.events();
    expect(h.model.calls[1]!.request.messages.at(-1)).toMatchObject({
      role: "user",
      content: [{ type: "tool_result", tool_use_id: use.id, content: [{ type: "text", text: "Ada Lovelace" }] }],
    });
    expect(ofType(events, "session.status_idle").at(-1)!.body.stop_reason).toEqual({ type: "end_turn" });
  });

  it("asks before a tool with always_ask: a denied call never runs, an allowed one does", async () => {
    const tools = [{ type: "agent_toolset_20260401", default_config: { permission_policy: { type: "always_ask" } } }];
    const h = await harnessFixture({
      tools,
      script: [toolUseTurn("bash", { command: "rm -rf /workspace/x" }), textTurn("ok, not deleting"), toolUseTurn("bash", { command: "ls" }), textTurn("listed")],
    });
    await h.send(userMessage("delete x"));
    await wake(h.sessionId, h.deps);
    let events = await h.events();
    const first = ofType(events, "agent.tool_use")[0]!;
    expect(first.body).toMatchObject({ evaluated_permission: "ask", evaluation: { type: "always_ask" } });
    expect(ofType(events, "session.status_idle").at(-1)!.body.stop_reason).toEqual({ type: "requires_action", event_ids: [first.id] });

    await h.send({ type: "user.tool_confirmation", tool_use_id: first.id, result: "deny", deny_message: "Not today." });
    await wake(h.sessionId, h.deps);
    events = await h.events();
    expect(ofType(events, "agent.tool_result")[0]!.body).toMatchObject({ tool_use_id: first.id, is_error: true });
    expect(textOf(ofType(events, "agent.tool_result")[0])).toBe("Not today.");
    expect(h.provider.provisionCalls).toHaveLength(0); // denied: never ran, no sandbox
    expect(ofType(events, "span.tool_execution_start")).toHaveLength(0);

    await h.send(userMessage("then list"));
    await wake(h.sessionId, h.deps);
    events = await h.events();
    const second = ofType(events, "agent.tool_use")[1]!;
    await h.send({ type: "user.tool_confirmation", tool_use_id: second.id, result: "allow" });
    await wake(h.sessionId, h.deps);
    expect(h.provider.latest!.execCalls.map((c) => c.command)).toEqual(["ls"]);
    expect(ofType(await h.events(), "session.status_idle").at(-1)!.body.stop_reason).toEqual({ type: "end_turn" });
  });

  it("processes messages sent while running, in order, in the same turn", async () => {
    // the first answer comes only once both messages are in
    const { script, release } = heldFirstAnswer("first answer", "second answer");
    const h = await harnessFixture({ script });
    await h.send(userMessage("one"));
    const running = wake(h.sessionId, h.deps);
    await until("the model call", () => h.model.calls.length === 1, { intervalMs: 5 });
    await h.send(userMessage("two"));
    await h.send(userMessage("three"));
    release();
    await running;
    expect(h.model.calls).toHaveLength(2);
    const last = h.model.calls[1]!.request.messages;
    expect(last.at(-1)).toMatchObject({ role: "user", content: [{ text: "two" }, { text: "three" }] });
    expect(last.at(-2)).toMatchObject({ role: "assistant", content: [{ text: "first answer" }] });
    const types = await h.types();
    expect(types.filter((t) => t === "session.status_running")).toHaveLength(1);
    expect(types.at(-1)).toBe("session.status_idle");
  });

  it("stops a turn on user.interrupt, closing the open model request", async () => {
    const h = await harnessFixture({ script: [{ hang: true }] });
    await h.send(userMessage("think forever"));
    const running = wake(h.sessionId, h.deps);
    await until("the model call", () => h.model.calls.length === 1, { intervalMs: 5 });
    const sentAt = Date.now();
    await h.send({ type: "user.interrupt" });
    await running;
    // the scripted request hangs forever: only the interrupt can end it (bound wide for loaded machines)
    expect(Date.now() - sentAt).toBeLessThan(5_000);
    const events = await h.events();
    const end = ofType(events, "span.model_request_end")[0]!;
    expect(end.body.is_error).toBe(true);
    expect(events.at(-1)!.body).toEqual({ type: "session.status_idle", stop_reason: { type: "end_turn" }, stop_details: null });
    expect(ofType(events, "agent.message")).toHaveLength(0);
  });

  it("stops waiting for a hanging tool on interrupt and records it as interrupted", async () => {
    const h = await harnessFixture({ script: [toolUseTurn("bash", { command: "sleep 1000" })], sandbox: { exec: () => new Promise(() => {}) } });
    await h.send(userMessage("sleep"));
    const running = wake(h.sessionId, h.deps);
    await until("the tool to start", async () => (await h.types()).includes("span.tool_execution_start"), { intervalMs: 5 });
    await h.send({ type: "user.interrupt" });
    await running;
    const events = await h.events();
    expect(textOf(ofType(events, "agent.tool_result")[0])).toBe("Interrupted by the user.");
    expect(events.at(-1)!.body.type).toBe("session.status_idle");
    // a message after the interrupt starts a new turn
    h.model.enqueue(textTurn("back"));
    await h.send(userMessage("hello again"));
    await wake(h.sessionId, h.deps);
    expect(textOf(ofType(await h.events(), "agent.message").at(-1))).toBe("back");
  });

  it("retries a retryable model error and reports it; gives up on a permanent one", async () => {
    const overloaded = new ModelError("model_overloaded_error", "Overloaded", true, 529);
    const bad = new ModelError("model_request_failed_error", "prompt is too long", false, 400);
    const h = await harnessFixture({ script: [{ error: overloaded }, textTurn("made it"), { error: bad }] });
    await h.send(userMessage("hi"));
    await wake(h.sessionId, h.deps);
    let events = await h.events();
    expect(ofType(events, "session.error")[0]!.body.error).toMatchObject({ type: "model_overloaded_error", retry_status: { type: "retrying" } });
    expect(textOf(ofType(events, "agent.message")[0])).toBe("made it");
    expect(ofType(events, "session.status_idle").at(-1)!.body.stop_reason).toEqual({ type: "end_turn" });

    await h.send(userMessage("again"));
    await wake(h.sessionId, h.deps);
    events = await h.events();
    expect(ofType(events, "session.error").at(-1)!.body.error).toMatchObject({ type: "model_request_failed_error", retry_status: { type: "exhausted" } });
    expect(events.at(-1)!.body).toMatchObject({ type: "session.status_idle", stop_reason: { type: "retries_exhausted" } });
    expect(h.model.calls).toHaveLength(3); // not retried, and the next wake does not retry it either
    await wake(h.sessionId, h.deps);
    expect(h.model.calls).toHaveLength(3);
  });

  it("publishes token deltas live without storing them", async () => {
    const h = await harnessFixture({ script: [textTurn("streamed words here")] });
    await h.send(userMessage("hi"));
    await wake(h.sessionId, h.deps);
    const previews = h.published.flatMap((m) => (m.kind === "preview" ? [m.preview] : []));
    const start = previews.find((p) => p.type === "event_start");
    expect(start).toMatchObject({ event: { type: "agent.message" } });
    const text = previews.flatMap((p) => (p.type === "event_delta" ? [p.delta.content.text] : [])).join("");
    expect(text).toBe("streamed words here");
    expect(previews.filter((p) => p.type === "event_delta").length).toBeGreaterThan(1);
    expect((await h.types()).some((t) => t.startsWith("event_"))).toBe(false);
  });

  it("never runs a tool the agent does not have", async () => {
    const tools = [{ type: "agent_toolset_20260401", configs: [{ name: "bash", enabled: false }] }];
    const h = await harnessFixture({ tools, script: [toolUseTurn("bash", { command: "id" }), textTurn("ok")] });
    await h.send(userMessage("run id"));
    await wake(h.sessionId, h.deps);
    const events = await h.events();
    expect(ofType(events, "agent.tool_use")[0]!.body.evaluated_permission).toBe("deny");
    expect(ofType(events, "agent.tool_result")[0]!.body.is_error).toBe(true);
    expect(h.provider.provisionCalls).toHaveLength(0);
    expect(h.model.calls[0]!.request.tools?.map((t) => t.name)).not.toContain("bash");
  });
});
