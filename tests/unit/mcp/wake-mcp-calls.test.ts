import { describe, expect, it } from "vitest";
import { wake } from "@/lib/harness/wake";
import { textTurn, toolUseTurn } from "@/lib/model/scripted-model-client";
import { until } from "@/tests/fixtures/wait";
import { ofType, textOf, userMessage } from "@/tests/unit/harness/harness-fixture";
import { echoTool, GITHUB_TOKEN, GITHUB_URL, mcpHarnessFixture } from "./mcp-fixture";

describe("wake: MCP tools", () => {
  it("offers the server's tools as <server>__<tool>, calls one with the vault's token and feeds the result back", async () => {
    const h = await mcpHarnessFixture({
      servers: { [GITHUB_URL]: { tools: [echoTool], requireToken: GITHUB_TOKEN } },
      script: [toolUseTurn("github__create_issue", { title: "Bug" }, { text: "Filing it." }), textTurn("Filed #7.")],
    });
    await h.send(userMessage("file a bug"));
    await wake(h.sessionId, h.deps);

    const first = h.model.calls[0]!.request;
    const offered = first.tools?.find((t) => t.name === "github__create_issue");
    expect(offered).toMatchObject({ description: "Create an issue", input_schema: echoTool.inputSchema });

    const events = await h.events();
    const use = ofType(events, "agent.mcp_tool_use")[0]!;
    expect(use.body).toMatchObject({ mcp_server_name: "github", name: "create_issue", input: { title: "Bug" }, evaluated_permission: "allow" });
    const result = ofType(events, "agent.mcp_tool_result")[0]!;
    expect(result.body).toMatchObject({ mcp_tool_use_id: use.id, is_error: false });
    expect(textOf(result)).toBe('created issue "Bug" as #7');
    expect(h.connector.calls).toEqual([{ url: GITHUB_URL, tool: "create_issue", input: { title: "Bug" } }]);
    expect(h.connector.connects).toEqual([{ url: GITHUB_URL, accessToken: GITHUB_TOKEN }]); // once for the wake

    const second = h.model.calls[1]!.request.messages;
    expect(second.at(-2)).toMatchObject({ role: "assistant", content: [{ type: "text" }, { type: "tool_use", id: use.id, name: "github__create_issue" }] });
    expect(second.at(-1)).toMatchObject({ role: "user", content: [{ type: "tool_result", tool_use_id: use.id, is_error: false }] });
    expect(ofType(events, "session.status_idle").at(-1)!.body.stop_reason).toEqual({ type: "end_turn" });
    expect(h.connector.closed).toEqual([GITHUB_URL]); // the connection ends with the wake

    const everything = JSON.stringify({ events, requests: h.model.calls.map((c) => c.request) });
    expect(everything).not.toContain(GITHUB_TOKEN);
  });

  it("redacts the token when a server echoes it in a result or a tool description", async () => {
    const leaky = {
      ...echoTool,
      description: `Uses ${GITHUB_TOKEN}`,
      run: () => ({ content: [{ type: "text" as const, text: `Authorization: Bearer ${GITHUB_TOKEN}` }], isError: false }),
    };
    const h = await mcpHarnessFixture({
      servers: { [GITHUB_URL]: { tools: [leaky] } },
      script: [toolUseTurn("github__create_issue", { title: "x" }), textTurn("ok")],
    });
    await h.send(userMessage("go"));
    await wake(h.sessionId, h.deps);
    const events = await h.events();
    expect(textOf(ofType(events, "agent.mcp_tool_result")[0])).toBe("Authorization: Bearer [redacted]");
    expect(JSON.stringify({ events, requests: h.model.calls.map((c) => c.request) })).not.toContain(GITHUB_TOKEN);
  });

  it("leaves out disabled tools and asks before always_ask ones: denied never runs, allowed does", async () => {
    const deleteRepo = { ...echoTool, name: "delete_repo", description: "Delete a repository" };
    const listIssues = { ...echoTool, name: "list_issues", description: "List issues" };
    const tools = [
      {
        type: "mcp_toolset",
        mcp_server_name: "github",
        default_config: { permission_policy: { type: "always_ask" } },
        configs: [{ name: "delete_repo", enabled: false }],
      },
    ];
    const h = await mcpHarnessFixture({
      tools,
      servers: { [GITHUB_URL]: { tools: [echoTool, deleteRepo, listIssues] } },
      script: [toolUseTurn("github__create_issue", { title: "A" }), textTurn("Not filed."), toolUseTurn("github__list_issues", { title: "B" }), textTurn("Listed.")],
    });
    await h.send(userMessage("file A"));
    await wake(h.sessionId, h.deps);
    const offered = h.model.calls[0]!.request.tools?.map((t) => t.name);
    expect(offered).toEqual(["github__create_issue", "github__list_issues"]);

    let events = await h.events();
    const first = ofType(events, "agent.mcp_tool_use")[0]!;
    expect(first.body).toMatchObject({ evaluated_permission: "ask", evaluation: { type: "always_ask" } });
    expect(ofType(events, "session.status_idle").at(-1)!.body.stop_reason).toEqual({ type: "requires_action", event_ids: [first.id] });
    await h.send({ type: "user.tool_confirmation", tool_use_id: first.id, result: "deny", deny_message: "not now" });
    await wake(h.sessionId, h.deps);
    events = await h.events();
    expect(ofType(events, "agent.mcp_tool_result")[0]!.body).toMatchObject({ mcp_tool_use_id: first.id, is_error: true });
    expect(textOf(ofType(events, "agent.mcp_tool_result")[0])).toBe("not now");
    expect(h.connector.calls).toEqual([]);

    await h.send(userMessage("list"));
    await wake(h.sessionId, h.deps);
    events = await h.events();
    const second = ofType(events, "agent.mcp_tool_use")[1]!;
    await h.send({ type: "user.tool_confirmation", tool_use_id: second.id, result: "allow" });
    await wake(h.sessionId, h.deps);
    events = await h.events();
    expect(ofType(events, "agent.mcp_tool_result")[1]!.body).toMatchObject({ mcp_tool_use_id: second.id, is_error: false });
    expect(h.connector.calls.map((c) => c.tool)).toEqual(["list_issues"]);
    expect(ofType(events, "session.status_idle").at(-1)!.body.stop_reason).toEqual({ type: "end_turn" });
  });

  it("never calls again an MCP call a dead harness may have made: the model is told it was interrupted", async () => {
    const h = await mcpHarnessFixture({ servers: { [GITHUB_URL]: { tools: [echoTool] } }, script: [textTurn("I will check the issues first.")] });
    await h.send(userMessage("file a bug"), { type: "session.status_running" }, { type: "span.model_request_start" });
    const [start] = await h.events().then((e) => e.filter((x) => x.body.type === "span.model_request_start"));
    const [use] = await h.send({ type: "agent.mcp_tool_use", mcp_server_name: "github", name: "create_issue", input: { title: "x" }, evaluated_permission: "allow" }).then((r) => r.events);
    await h.send(
      { type: "span.model_request_end", model_request_start_id: start!.id, is_error: false, model_usage: { input_tokens: 1, output_tokens: 1, cache_read_input_tokens: 0, cache_creation_input_tokens: 0 } },
      { type: "span.tool_execution_start", tool_use_id: use!.id },
    );
    await wake(h.sessionId, h.deps);
    const events = await h.events();
    const result = ofType(events, "agent.mcp_tool_result")[0]!;
    expect(result.body).toMatchObject({ mcp_tool_use_id: use!.id, is_error: true });
    expect(textOf(result)).toContain("was interrupted");
    expect(h.connector.calls).toEqual([]);
    expect(h.model.calls[0]!.request.messages.at(-1)).toMatchObject({ role: "user", content: [{ type: "tool_result", tool_use_id: use!.id, is_error: true }] });
  });

  it("an interrupt stops waiting for a hanging MCP call", async () => {
    let release!: () => void;
    const hanging = { ...echoTool, run: (_: unknown, o: { signal: AbortSignal }) => new Promise<never>((_, reject) => { release = () => reject(new Error("aborted")); o.signal.addEventListener("abort", release); }) };
    const h = await mcpHarnessFixture({ servers: { [GITHUB_URL]: { tools: [hanging] } }, script: [toolUseTurn("github__create_issue", { title: "x" })] });
    await h.send(userMessage("go"));
    const woke = wake(h.sessionId, h.deps);
    await until("the MCP call to start", () => h.connector.calls.length > 0, { intervalMs: 5 });
    await h.send({ type: "user.interrupt" });
    await woke;
    const events = await h.events();
    expect(textOf(ofType(events, "agent.mcp_tool_result")[0])).toBe("Interrupted by the user.");
    expect(ofType(events, "session.status_idle").at(-1)!.body.stop_reason).toEqual({ type: "end_turn" });
  });
});
