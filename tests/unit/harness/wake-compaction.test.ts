import { describe, expect, it } from "vitest";
import type { TModelRequest } from "@/lib/model/types";
import { compactAtTokens } from "@/lib/model/context-window";
import { COMPACTION_INSTRUCTION } from "@/lib/harness/compact-context";
import { SUMMARY_PREFIX } from "@/lib/harness/build-model-request";
import { wake } from "@/lib/harness/wake";
import { textTurn, toolUseTurn } from "@/lib/model/scripted-model-client";
import { harnessFixture, ofType, textOf, userMessage } from "./harness-fixture";

const said = (request: TModelRequest) => JSON.stringify(request.messages);
const asksForSummary = (request: TModelRequest) => said(request).includes(COMPACTION_INSTRUCTION);
const NEAR_FULL = compactAtTokens("claude-test-model");

describe("wake: a thread's context compacted when it nears the model's window", () => {
  it("summarises the context before the next model call, and gives the model the summary and the last exchange, the log keeping everything", async () => {
    const h = await harnessFixture({
      script: (request) => {
        if (asksForSummary(request)) return { ...textTurn("Summary: the user wants X; `echo 42` printed 42."), usage: { input_tokens: NEAR_FULL + 10, output_tokens: 30 } };
        if (said(request).includes("tool_result")) return textTurn("X is 42.");
        // a big first answer: its request filled most of the window
        return { ...toolUseTurn("bash", { command: "echo 42" }), usage: { input_tokens: NEAR_FULL, output_tokens: 20 } };
      },
    });
    await h.send(userMessage("What is X? Use the shell."));
    await wake(h.sessionId, h.deps);
    const events = await h.events();

    const compacted = ofType(events, "agent.thread_context_compacted");
    expect(compacted).toHaveLength(1);
    expect(compacted[0]!.body).toMatchObject({ summary: "Summary: the user wants X; `echo 42` printed 42.", model_usage: { input_tokens: NEAR_FULL + 10, output_tokens: 30 } });
    // between the tool's result and the answer; the answer's request did not fill the window: no second compaction
    const types = events.map((e) => e.body.type);
    expect(types.indexOf("agent.thread_context_compacted")).toBeGreaterThan(types.indexOf("agent.tool_result"));
    expect(types.lastIndexOf("span.model_request_start")).toBeGreaterThan(types.indexOf("agent.thread_context_compacted"));
    expect(textOf(ofType(events, "agent.message").at(-1))).toBe("X is 42.");

    // three requests: the first, the summary (the whole context and the instruction), the answer from the summary on
    const [first, summary, answer] = h.model.calls.map((c) => c.request);
    expect(h.model.calls).toHaveLength(3);
    expect(said(summary!)).toContain("What is X? Use the shell.");
    expect(said(summary!)).toContain(COMPACTION_INSTRUCTION);
    expect(said(answer!)).not.toContain("What is X? Use the shell."); // older than the last request: in the summary only
    const firstText = (answer!.messages[0]!.content as Array<{ type: string; text?: string }>)[0]!.text!;
    expect(firstText.startsWith(SUMMARY_PREFIX)).toBe(true);
    expect(firstText).toContain("Summary: the user wants X");
    // the last exchange stays verbatim: the tool use and its result pair up
    expect(answer!.messages.map((m) => m.role)).toEqual(["user", "assistant", "user"]);
    expect(said(answer!)).toContain("tool_use");
    expect(said(answer!)).toContain("tool_result");
    expect(first!.messages).toHaveLength(1);

    // the summary request costs like any other: in the session's usage
    const usage = (await h.store.getSession(h.sessionId))!.state.usage;
    const answerTokens = ofType(events, "span.model_request_end").at(-1)!.body.model_usage.output_tokens;
    expect(usage.output_tokens).toBe(20 + 30 + answerTokens);
  });

  it("does not compact a context well inside the window", async () => {
    const h = await harnessFixture({ script: (request) => (said(request).includes("tool_result") ? textTurn("done") : toolUseTurn("bash", { command: "echo hi" })) });
    await h.send(userMessage("hi"));
    await wake(h.sessionId, h.deps);
    expect(ofType(await h.events(), "agent.thread_context_compacted")).toEqual([]);
    expect(h.model.calls.some((c) => asksForSummary(c.request))).toBe(false);
  });
});
