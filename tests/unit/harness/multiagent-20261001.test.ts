import { describe, expect, it } from "vitest";
import type { TModelRequest } from "@/lib/model/types";
import { foldSessionState, INITIAL_SESSION_STATE } from "@/lib/event-log/fold";
import { foldThreads, primaryThreadId, threadOf } from "@/lib/event-log/threads";
import { wake } from "@/lib/harness/wake";
import { parseAgentConfig } from "@/lib/harness/agent-config";
import { ADVISOR_SYSTEM_PROMPT } from "@/lib/harness/build-advisor-request";
import { textTurn, toolUseTurn } from "@/lib/model/scripted-model-client";
import { harnessFixture, ofType, textOf, userMessage } from "./harness-fixture";

/**
 * `multiagent_20261001` in the harness: the primary thread starts an inline subagent (a thread
 * running a definition it wrote) and consults its advisor (a separate model call whose usage counts).
 */
const multiagent = {
  type: "multiagent_20261001",
  advisor: { type: "enabled", model: "claude-advisor-model" },
  subagents: { type: "enabled", inline_agents: { type: "enabled" }, predefined_agents: [] },
  workflows: { type: "disabled" },
};
const said = (request: TModelRequest) => JSON.stringify(request.messages);

function responder(request: TModelRequest) {
  const system = request.system?.[0]?.text;
  if (system === ADVISOR_SYSTEM_PROMPT) return { ...textTurn("Ask the checker to verify 42."), usage: { input_tokens: 100, output_tokens: 7 } };
  if (system === "You check numbers.") return said(request).includes("tool_result") ? textTurn("42 checks out.") : toolUseTurn("bash", { command: "echo 42" });
  if (said(request).includes("Threads settled")) return textTurn("X is 42, checked.");
  if (said(request).includes("Started thread")) return toolUseTurn("wait_for_threads", {});
  if (said(request).includes("Ask the checker")) {
    return toolUseTurn("start_thread", { inline_agent: { name: "checker", system: "You check numbers.", tools: ["bash"] }, task: "Check 42." });
  }
  return toolUseTurn("consult_advisor", { question: "How do I make sure X is 42?" });
}

describe("wake: multiagent_20261001", () => {
  it("runs an inline subagent as a thread and answers consult_advisor with a separate, counted model call", async () => {
    const h = await harnessFixture({ script: responder, agent: { multiagent }, system: "coordinate" });
    await h.send(userMessage("What is X?"));
    await wake(h.sessionId, h.deps);
    const events = await h.events();
    const primary = primaryThreadId(h.sessionId);

    // the advisor: its request saw the conversation and the question, no tools; its advice is the result
    const advisorRequest = h.model.calls.map((c) => c.request).find((r) => r.system?.[0]?.text === ADVISOR_SYSTEM_PROMPT)!;
    expect(advisorRequest.model).toBe("claude-advisor-model");
    expect(advisorRequest.tools).toBeUndefined();
    expect(said(advisorRequest)).toContain("What is X?");
    expect(said(advisorRequest)).toContain("How do I make sure X is 42?");
    const [consult] = ofType(events, "agent.tool_use").filter((e) => e.body.name === "consult_advisor");
    const advice = ofType(events, "agent.tool_result").find((e) => e.body.tool_use_id === consult!.id)!;
    expect(advice.body).toMatchObject({ is_error: false, model: "claude-advisor-model", model_usage: { input_tokens: 100, output_tokens: 7 } });
    expect(textOf(advice)).toBe("Ask the checker to verify 42.");
    // its usage counts in the session's and the primary thread's
    const requests = ofType(events, "span.model_request_end").reduce((sum, e) => sum + e.body.model_usage.input_tokens, 0);
    expect(foldSessionState(INITIAL_SESSION_STATE, events).usage.input_tokens).toBe(requests + 100);
    expect(foldThreads(h.sessionId, events).reduce((sum, t) => sum + t.usage.input_tokens, 0)).toBe(requests + 100);

    // the inline subagent: a thread running the definition, with the one tool it was given
    const [created] = ofType(events, "session.thread_created");
    expect(created!.body).toMatchObject({ agent_name: "checker", agent_id: "agent_test", agent_version: 1, parent_thread_id: primary });
    expect(created!.body.inline_agent).toEqual({
      name: "checker",
      system: "You check numbers.",
      model: { id: "claude-test-model" },
      tools: [{ type: "agent_toolset_20260401", default_config: { enabled: false }, configs: [{ name: "bash", enabled: true, permission_policy: { type: "always_allow" } }] }],
    });
    const childRequest = h.model.calls.map((c) => c.request).find((r) => r.system?.[0]?.text === "You check numbers.")!;
    expect(childRequest.tools?.map((t) => t.name)).toEqual(["bash"]);
    expect(h.provider.latest!.execCalls.map((c) => c.command)).toEqual(["echo 42"]);
    const child = created!.body.session_thread_id;
    expect(foldThreads(h.sessionId, events).find((t) => t.id === child)).toMatchObject({ status: "idle", agent: { name: "checker", inline: { system: "You check numbers." } } });
    expect(textOf(ofType(events, "agent.thread_message_received").find((e) => e.body.from_session_thread_id === child))).toBe("42 checks out.");
    expect(textOf(ofType(events, "agent.message").filter((e) => threadOf(e.body, primary) === primary).at(-1))).toBe("X is 42, checked.");

    // the primary's tools: the thread tools with inline_agent, and the advisor's
    const first = h.model.calls[0]!.request!;
    expect(first.tools?.map((t) => t.name)).toEqual(expect.arrayContaining(["start_thread", "send_to_thread", "wait_for_threads", "consult_advisor"]));
    expect(JSON.stringify(first.tools?.find((t) => t.name === "start_thread"))).toContain("inline_agent");
  });

  it("refuses an inline agent with tools its coordinator lacks, and consult_advisor without an advisor", async () => {
    const script = (request: TModelRequest) => {
      if (said(request).includes("consult_advisor")) return textTurn("done");
      if (said(request).includes("not one of your built-in tools")) return toolUseTurn("consult_advisor", { question: "?" });
      return toolUseTurn("start_thread", { inline_agent: { name: "x", system: "s", tools: ["mcp_anything"] }, task: "t" });
    };
    const h = await harnessFixture({ script, agent: { multiagent: { ...multiagent, advisor: { type: "disabled" } } }, tools: [] });
    await h.send(userMessage("go"));
    await wake(h.sessionId, h.deps);
    const events = await h.events();
    expect(ofType(events, "session.thread_created")).toHaveLength(0);
    const results = ofType(events, "agent.tool_result");
    expect(results.map((e) => e.body.is_error)).toEqual([true, true]);
    expect(textOf(results[0])).toMatch(/inline_agent\.tools: mcp_anything is not one of your built-in tools/);
    expect(textOf(results[1])).toMatch(/not permitted/);
    expect(h.model.calls.map((c) => c.request).every((r) => r.system?.[0]?.text !== ADVISOR_SYSTEM_PROMPT)).toBe(true);
  });

  it("reads a coordinator roster's advisor entry as the agent's advisor, not as a thread agent", () => {
    const researcher = { id: "agent_r", version: 2, name: "researcher", model: { id: "m" }, system: "r", tools: [] };
    const config = parseAgentConfig({ model: "m", multiagent: { type: "coordinator", agents: [researcher, { type: "advisor", model: "claude-advisor-model" }] } });
    expect(config.advisor).toEqual({ model: "claude-advisor-model" });
    expect(config.roster?.map((a) => a.name)).toEqual(["researcher"]);
    const alone = parseAgentConfig({ model: "m", multiagent: { type: "coordinator", agents: [{ type: "advisor", model: "a" }] } });
    expect([alone.roster, alone.advisor]).toEqual([null, { model: "a" }]);
  });
});
