import { describe, expect, it } from "vitest";
import { MAX_TOOL_RESULT_CHARS } from "@/lib/harness/build-model-request";
import { wake } from "@/lib/harness/wake";
import { textTurn, toolUseTurn } from "@/lib/model/scripted-model-client";
import { harnessFixture, ofType, textOf, userMessage } from "./harness-fixture";

/** Logs left behind by a harness that died at some instant, and what its successor does. */
describe("wake: resuming from the log", () => {
  it("re-issues a model call that was cut off (start on the log, no end)", async () => {
    const h = await harnessFixture({ script: [textTurn("complete answer")] });
    await h.send(userMessage("hi"), { type: "session.status_running" }, { type: "span.model_request_start" });
    await wake(h.sessionId, h.deps);
    const events = await h.events();
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    expect(ofType(events, "span.model_request_start")).toHaveLength(2);
    expect(ofType(events, "agent.message").map(textOf)).toEqual(["complete answer"]);
    expect(ofType(events, "session.status_running")).toHaveLength(1);
    expect(events.at(-1)!.body.type).toBe("session.status_idle");
  });

  async function crashedDuringTool(name: string, input: Record<string, unknown>) {
    const h = await harnessFixture({ script: [textTurn("after recovery")], sandbox: { files: { "notes.txt": "hello notes\n" } } });
    const { events } = await h.send(userMessage("go"), { type: "session.status_running" }, { type: "span.model_request_start" });
    const [, , start] = events;
    const { events: response } = await h.send(
      { type: "agent.tool_use", name, input, evaluated_permission: "allow" },
      { type: "span.model_request_end", model_request_start_id: start!.id, is_error: false, model_usage: { input_tokens: 1, output_tokens: 1, cache_read_input_tokens: 0, cache_creation_input_tokens: 0 } },
    );
    const use = response[0]!;
    await h.send({ type: "span.tool_execution_start", tool_use_id: use.id });
    return { h, use };
  }

  it("never silently runs a non-idempotent tool twice: reports it as interrupted", async () => {
    const { h, use } = await crashedDuringTool("bash", { command: "echo side effect" });
    await wake(h.sessionId, h.deps);
    const events = await h.events();
    const result = ofType(events, "agent.tool_result")[0]!;
    expect(result.body).toMatchObject({ tool_use_id: use.id, is_error: true });
    expect(textOf(result)).toMatch(/interrupted.*not run again/s);
    expect(h.provider.provisionCalls).toHaveLength(0);
    expect(h.model.calls[0]!.request.messages.at(-1)).toMatchObject({ content: [{ type: "tool_result", tool_use_id: use.id, is_error: true }] });
    expect(events.at(-1)!.body.type).toBe("session.status_idle");
  });

  it("re-runs an idempotent tool whose result was never recorded", async () => {
    const { h, use } = await crashedDuringTool("read", { file_path: "notes.txt" });
    await wake(h.sessionId, h.deps);
    const events = await h.events();
    const result = ofType(events, "agent.tool_result")[0]!;
    expect(result.body).toMatchObject({ tool_use_id: use.id, is_error: false });
    expect(textOf(result)).toContain("hello notes");
    expect(ofType(events, "span.tool_execution_start")).toHaveLength(2);
  });

  it("turns a dead sandbox into a tool error and provisions a fresh one for the next call", async () => {
    const h = await harnessFixture({
      script: [toolUseTurn("bash", { command: "echo one" }), toolUseTurn("bash", { command: "echo two" }), textTurn("done")],
    });
    await h.send(userMessage("go"));
    const dying = h.provider.provision.bind(h.provider);
    let first = true;
    h.provider.provision = async (options) => {
      const sandbox = await dying(options);
      if (first) sandbox.dieOnNextCall();
      first = false;
      return sandbox;
    };
    await wake(h.sessionId, h.deps);
    const results = ofType(await h.events(), "agent.tool_result");
    expect(results[0]!.body.is_error).toBe(true);
    expect(results[1]!.body.is_error).toBe(false);
    expect(textOf(results[1])).toContain("ran: echo two");
    expect(h.provider.provisionCalls).toHaveLength(2);
    expect((await h.types()).at(-1)).toBe("session.status_idle");
  });

  it("turns a sandbox that cannot be provisioned into a tool error; the session goes on", async () => {
    const h = await harnessFixture({ script: [toolUseTurn("bash", { command: "ls" }), textTurn("could not run it")] });
    h.provider.failNextProvisions(1);
    await h.send(userMessage("ls"));
    await wake(h.sessionId, h.deps);
    const events = await h.events();
    expect(textOf(ofType(events, "agent.tool_result")[0])).toMatch(/sandbox could not be started/);
    expect(textOf(ofType(events, "agent.message").at(-1))).toBe("could not run it");
  });

  it("replaces a sandbox that hangs past the tool time limit", async () => {
    let calls = 0;
    const h = await harnessFixture({
      script: [toolUseTurn("bash", { command: "hang" }), toolUseTurn("bash", { command: "echo ok" }), textTurn("done")],
      sandbox: { exec: (command) => (++calls === 1 ? new Promise(() => {}) : { exitCode: 0, stdout: `ran: ${command}` }) },
      deps: { toolTimeoutMs: 50 },
    });
    await h.send(userMessage("go"));
    await wake(h.sessionId, h.deps);
    const results = ofType(await h.events(), "agent.tool_result");
    expect(textOf(results[0])).toMatch(/did not answer/);
    expect(textOf(results[1])).toContain("ran: echo ok");
    expect(h.provider.provisionCalls).toHaveLength(2);
  });

  it("truncates huge tool output for the model but keeps all of it in the log", async () => {
    const huge = "x".repeat(MAX_TOOL_RESULT_CHARS + 15_000); // more than the model gets, less than the tool keeps
    const h = await harnessFixture({
      script: [toolUseTurn("bash", { command: "cat big" }), textTurn("that was long")],
      sandbox: { exec: () => ({ exitCode: 0, stdout: huge }) },
    });
    await h.send(userMessage("cat big"));
    await wake(h.sessionId, h.deps);
    expect(textOf(ofType(await h.events(), "agent.tool_result")[0])).toContain(huge);
    const sent = h.model.calls[1]!.request.messages.at(-1)!.content as Array<{ type: string; content: Array<{ text: string }> }>;
    const text = sent[0]!.content[0]!.text;
    expect(text.length).toBeLessThan(MAX_TOOL_RESULT_CHARS + 200);
    expect(text).toMatch(/characters omitted here; the full output is in the session log/);
  });
});

describe("context rebuilt from the log", () => {
  it("places a message sent during a cut-off request before the request that answered it", async () => {
    const h = await harnessFixture({ script: [textTurn("answered both"), textTurn("third")] });
    await h.send(userMessage("one"), { type: "session.status_running" }, { type: "span.model_request_start" }, userMessage("two"));
    await wake(h.sessionId, h.deps);
    expect(h.model.calls[0]!.request.messages).toMatchObject([{ role: "user", content: [{ text: "one" }, { text: "two" }] }]);
    await h.send(userMessage("three"));
    await wake(h.sessionId, h.deps);
    expect(h.model.calls[1]!.request.messages).toMatchObject([
      { role: "user", content: [{ text: "one" }, { text: "two" }] },
      { role: "assistant", content: [{ text: "answered both" }] },
      { role: "user", content: [{ text: "three" }] },
    ]);
  });
});
