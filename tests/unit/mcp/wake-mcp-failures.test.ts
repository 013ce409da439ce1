import { describe, expect, it } from "vitest";
import { wake } from "@/lib/harness/wake";
import { textTurn, toolUseTurn } from "@/lib/model/scripted-model-client";
import { ofType, textOf, userMessage } from "@/tests/unit/harness/harness-fixture";
import { echoTool, GITHUB_TOKEN, GITHUB_URL, mcpHarnessFixture } from "./mcp-fixture";

const DOCS_URL = "https://mcp.example.test/docs";
const searchTool = { ...echoTool, name: "search", description: "Search the docs" };
const twoServers = {
  mcpServers: [
    { name: "github", url: GITHUB_URL },
    { name: "docs", url: DOCS_URL },
  ],
  tools: [
    { type: "mcp_toolset", mcp_server_name: "github" },
    { type: "mcp_toolset", mcp_server_name: "docs" },
  ],
};

describe("wake: MCP failures", () => {
  it("an unreachable server is a session.error mcp_connection_failed_error; the turn goes on with the other tools", async () => {
    const h = await mcpHarnessFixture({
      ...twoServers,
      servers: { [GITHUB_URL]: { tools: [echoTool], unreachable: true }, [DOCS_URL]: { tools: [searchTool] } },
      script: [textTurn("GitHub is unavailable right now.")],
    });
    await h.send(userMessage("file a bug"));
    await wake(h.sessionId, h.deps);
    const events = await h.events();
    const errors = ofType(events, "session.error");
    expect(errors).toHaveLength(1);
    expect(errors[0]!.body.error).toMatchObject({ type: "mcp_connection_failed_error", mcp_server_name: "github", retry_status: { type: "retrying" } });
    expect(errors[0]!.body.error.message).toContain("could not be reached");
    expect(h.model.calls[0]!.request.tools?.map((t) => t.name)).toEqual(["docs__search"]);
    expect(ofType(events, "session.status_idle").at(-1)!.body.stop_reason).toEqual({ type: "end_turn" });
  });

  it("a refused token is mcp_authentication_failed_error, and the token is in no event", async () => {
    const h = await mcpHarnessFixture({
      servers: { [GITHUB_URL]: { tools: [echoTool], requireToken: "a-different-token-0000" } },
      script: [textTurn("I cannot reach GitHub.")],
    });
    await h.send(userMessage("file a bug"));
    await wake(h.sessionId, h.deps);
    const events = await h.events();
    const error = ofType(events, "session.error")[0]!;
    expect(error.body.error).toMatchObject({ type: "mcp_authentication_failed_error", mcp_server_name: "github" });
    expect(h.model.calls[0]!.request.tools).toBeUndefined();
    expect(JSON.stringify(events)).not.toContain(GITHUB_TOKEN);
  });

  it("without a matching credential the server is called without a token, and its 401 says no credential matched", async () => {
    const h = await mcpHarnessFixture({
      tokens: { "https://mcp.example.test/other": GITHUB_TOKEN },
      servers: { [GITHUB_URL]: { tools: [echoTool], requireToken: GITHUB_TOKEN } },
      script: [textTurn("No access.")],
    });
    await h.send(userMessage("file a bug"));
    await wake(h.sessionId, h.deps);
    expect(h.connector.connects).toEqual([{ url: GITHUB_URL, accessToken: null }]);
    const error = ofType(await h.events(), "session.error")[0]!;
    expect(error.body.error.message).toContain(`No mcp_oauth credential in the session's vaults matches ${GITHUB_URL}`);
  });

  it("a server lost during a call gives the model an error result and a session.error; the next call reconnects", async () => {
    const servers = { [GITHUB_URL]: { tools: [echoTool] } as { tools: (typeof echoTool)[]; unreachable?: boolean } };
    const h = await mcpHarnessFixture({
      servers,
      script: (_request, index) => {
        if (index === 0) {
          servers[GITHUB_URL]!.unreachable = true;
          return toolUseTurn("github__create_issue", { title: "A" });
        }
        if (index === 1) {
          servers[GITHUB_URL]!.unreachable = false;
          return toolUseTurn("github__create_issue", { title: "B" });
        }
        return textTurn("Second try worked.");
      },
    });
    await h.send(userMessage("file"));
    await wake(h.sessionId, h.deps);
    const events = await h.events();
    const results = ofType(events, "agent.mcp_tool_result");
    expect(results.map((r) => r.body.is_error)).toEqual([true, false]);
    expect(textOf(results[0])).toContain("could not be reached");
    expect(ofType(events, "session.error")[0]!.body.error).toMatchObject({ type: "mcp_connection_failed_error", mcp_server_name: "github" });
    expect(h.connector.connects).toHaveLength(2);
    expect(ofType(events, "session.status_idle").at(-1)!.body.stop_reason).toEqual({ type: "end_turn" });
  });

  it("a call of a tool the server did not list is denied and never sent to the server", async () => {
    const h = await mcpHarnessFixture({
      servers: { [GITHUB_URL]: { tools: [echoTool] } },
      script: [toolUseTurn("github__create_issue", { title: "A" }), textTurn("Done.")],
    });
    h.connector.servers[GITHUB_URL]!.tools = [];
    await h.send(userMessage("file"));
    await wake(h.sessionId, h.deps);
    const events = await h.events();
    expect(ofType(events, "agent.tool_use")[0]!.body).toMatchObject({ name: "github__create_issue", evaluated_permission: "deny" });
    expect(ofType(events, "agent.mcp_tool_use")).toHaveLength(0);
    expect(h.connector.calls).toEqual([]);
    expect(ofType(events, "session.error")).toHaveLength(0);
  });
});
