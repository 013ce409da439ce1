import { describe, expect, it } from "vitest";
import type { TSandboxPlan } from "@/lib/harness/provision-context";
import { SandboxPool } from "@/lib/harness/sandbox-pool";
import { wake } from "@/lib/harness/wake";
import { textTurn, toolUseTurn } from "@/lib/model/scripted-model-client";
import { FakeSandboxProvider, type FakeSandboxProviderOptions } from "@/lib/sandbox/fake";
import type { TStoredEvent } from "@/lib/event-log/events";
import { harnessFixture, ofType, textOf, userMessage } from "./harness-fixture";

/** `span.sandbox_status` in the log, and redaction of the session's secrets from what tools return. */

const SECRET = "ghp_UnitSecretValue_7f3a9c1e";
const TOKEN = "mcp-oauth-access-token-4b2d8e";

function planWith(secrets: string[]): () => Promise<TSandboxPlan> {
  return async () => ({ environment: null, options: { env: { API_TOKEN: "oma_egress_placeholder_0000000000" } }, secrets });
}

async function fixture(options: { script: Parameters<typeof harnessFixture>[0]["script"]; sandbox?: FakeSandboxProviderOptions; secrets?: string[] }) {
  const provider = new FakeSandboxProvider({ exec: (command) => ({ exitCode: 0, stdout: `ran: ${command}\n` }), ...options.sandbox });
  const h = await harnessFixture({
    script: options.script,
    deps: { sandboxes: new SandboxPool(provider, { plan: planWith(options.secrets ?? []) }) },
  });
  return { ...h, provider };
}

const statuses = async (h: { events(): Promise<TStoredEvent[]> }) => ofType(await h.events(), "span.sandbox_status").map((e) => e.body);

describe("span.sandbox_status", () => {
  it("records provisioning then ready (with the sandbox id and duration) before the first tool result, once per sandbox", async () => {
    const h = await fixture({ script: [toolUseTurn("bash", { command: "echo one" }), toolUseTurn("bash", { command: "echo two" }), textTurn("done")] });
    await h.send(userMessage("go"));
    await wake(h.sessionId, h.deps);
    const events = await h.events();
    const types = events.map((e) => e.body.type);
    const provisioning = types.indexOf("span.sandbox_status");
    expect(provisioning).toBeGreaterThan(types.indexOf("span.tool_execution_start"));
    expect(provisioning).toBeLessThan(types.indexOf("agent.tool_result"));
    expect(await statuses(h)).toEqual([
      { type: "span.sandbox_status", status: "provisioning", provider: "fake", sandbox_id: null, reason: null, duration_ms: null },
      { type: "span.sandbox_status", status: "ready", provider: "fake", sandbox_id: "sbx_fake_1", reason: null, duration_ms: expect.any(Number) },
    ]);
    expect(ofType(events, "agent.tool_result")).toHaveLength(2);
    expect(events.at(-1)!.body.type).toBe("session.status_idle");
  });

  it("records failed with the reason, and the next call provisions again", async () => {
    const h = await fixture({ script: [toolUseTurn("bash", { command: "echo one" }), toolUseTurn("bash", { command: "echo two" }), textTurn("done")] });
    h.provider.failNextProvisions(1);
    await h.send(userMessage("go"));
    await wake(h.sessionId, h.deps);
    expect((await statuses(h)).map((s) => [s.status, s.sandbox_id, s.reason])).toEqual([
      ["provisioning", null, null],
      ["failed", null, "injected provision failure"],
      ["provisioning", null, null],
      ["ready", "sbx_fake_1", null],
    ]);
    const results = ofType(await h.events(), "agent.tool_result");
    expect(results.map((r) => r.body.is_error)).toEqual([true, false]);
  });

  it("records replaced when a dead sandbox is discarded, then a fresh one", async () => {
    const h = await fixture({ script: [toolUseTurn("bash", { command: "echo one" }), toolUseTurn("bash", { command: "echo two" }), textTurn("done")] });
    await h.send(userMessage("go"));
    let killed = false;
    const original = h.provider.provision.bind(h.provider);
    h.provider.provision = async (options) => {
      const sandbox = await original(options);
      if (!killed) {
        killed = true;
        sandbox.dieOnNextCall();
      }
      return sandbox;
    };
    await wake(h.sessionId, h.deps);
    expect((await statuses(h)).map((s) => [s.status, s.sandbox_id])).toEqual([
      ["provisioning", null],
      ["ready", "sbx_fake_1"],
      ["replaced", "sbx_fake_1"],
      ["provisioning", null],
      ["ready", "sbx_fake_2"],
    ]);
    const replaced = (await statuses(h))[2]!;
    expect(replaced.reason).toBeTruthy();
  });

  it("is ignored by the planner: a harness that died right after provisioning re-runs (or reports) the tool as before", async () => {
    const h = await fixture({ script: [textTurn("after recovery")], sandbox: { files: { "notes.txt": "hello notes\n" } } });
    const { events } = await h.send(userMessage("go"), { type: "session.status_running" }, { type: "span.model_request_start" });
    const start = events[2]!;
    const { events: response } = await h.send(
      { type: "agent.tool_use", name: "read", input: { file_path: "notes.txt" }, evaluated_permission: "allow" },
      { type: "span.model_request_end", model_request_start_id: start.id, is_error: false, model_usage: { input_tokens: 1, output_tokens: 1, cache_read_input_tokens: 0, cache_creation_input_tokens: 0 } },
    );
    await h.send(
      { type: "span.tool_execution_start", tool_use_id: response[0]!.id },
      { type: "span.sandbox_status", status: "provisioning", provider: "fake", sandbox_id: null, reason: null, duration_ms: null },
    );
    await wake(h.sessionId, h.deps);
    const after = await h.events();
    expect(textOf(ofType(after, "agent.tool_result")[0])).toContain("hello notes");
    expect(ofType(after, "agent.message").map(textOf)).toEqual(["after recovery"]);
    // The abandoned provisioning is closed before a fresh sandbox is provisioned.
    expect((await statuses(h)).map((st) => [st.status, st.reason])).toEqual([
      ["provisioning", null],
      ["failed", "the worker provisioning this sandbox stopped before it was ready"],
      ["provisioning", null],
      ["ready", null],
    ]);
    // The model never sees the status events.
    expect(JSON.stringify(h.model.calls.map((c) => c.request))).not.toContain("sandbox_status");
    expect(after.at(-1)!.body.type).toBe("session.status_idle");
  });
});

describe("redaction of the session's secrets", () => {
  it("replaces every secret in a tool's output before it is stored, in plain and encoded forms", async () => {
    const printed = `token=${SECRET}\nurl=${encodeURIComponent(TOKEN + "/x")}\nb64=${Buffer.from(SECRET).toString("base64")}\n`;
    const h = await fixture({
      script: [toolUseTurn("bash", { command: "printenv" }), toolUseTurn("read", { file_path: "leak.txt" }), textTurn("done")],
      sandbox: { exec: () => ({ exitCode: 0, stdout: printed, stderr: `warning: ${TOKEN}\n` }), files: { "leak.txt": `saved ${SECRET} here\n` } },
      secrets: [SECRET, TOKEN],
    });
    await h.send(userMessage("go"));
    await wake(h.sessionId, h.deps);
    const events = await h.events();
    const results = ofType(events, "agent.tool_result").map(textOf);
    expect(results).toHaveLength(2);
    expect(results[0]).toContain("token=[redacted]");
    expect(results[0]).toContain("warning: [redacted]");
    expect(results[1]).toContain("saved [redacted] here");
    const stored = JSON.stringify(events);
    for (const form of [SECRET, TOKEN, encodeURIComponent(TOKEN), Buffer.from(SECRET).toString("base64")]) expect(stored).not.toContain(form);
    const sentToModel = JSON.stringify(h.model.calls.map((c) => c.request));
    expect(sentToModel).not.toContain(SECRET);
    expect(sentToModel).not.toContain(TOKEN);
  });

  it("redacts a provisioning failure's reason too", async () => {
    const h = await fixture({ script: [toolUseTurn("bash", { command: "true" }), textTurn("done")], secrets: [SECRET] });
    h.provider.provision = async () => {
      throw new Error(`could not log in with ${SECRET}`);
    };
    await h.send(userMessage("go"));
    await wake(h.sessionId, h.deps);
    const events = await h.events();
    expect((await statuses(h)).find((s) => s.status === "failed")?.reason).toBe("could not log in with [redacted]");
    expect(textOf(ofType(events, "agent.tool_result")[0])).toContain("could not log in with [redacted]");
    expect(JSON.stringify(events)).not.toContain(SECRET);
  });

  it("leaves output alone when the session has no secrets", async () => {
    const h = await fixture({ script: [toolUseTurn("bash", { command: "echo hi" }), textTurn("done")] });
    await h.send(userMessage("go"));
    await wake(h.sessionId, h.deps);
    expect(textOf(ofType(await h.events(), "agent.tool_result")[0])).toContain("ran: echo hi");
  });
});
