import { randomBytes } from "node:crypto";
import Anthropic from "@anthropic-ai/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAppServer, type AppServer } from "@/tests/fixtures/app-server";
import { startMessagesApiServer, type MessagesApiServer } from "@/tests/fixtures/messages-api";
import { startMcpTestServer, type TMcpTestServer } from "./mcp-test-server";

/**
 * End to end through the API with the official SDK: a vault with an `mcp_oauth` credential, an
 * agent with `mcp_servers` and an `mcp_toolset`, a session using the vault; the server's harness
 * calls the real MCP server with the token, which shows up in no event, model request or log line.
 */
type TEvent = { type: string; id: string; [key: string]: unknown };
const TOKEN = `mcp-oauth-${randomBytes(12).toString("hex")}`;

describe("MCP servers through the API", () => {
  let api: MessagesApiServer;
  let mcp: TMcpTestServer;
  let app: AppServer;
  let client: Anthropic;

  beforeAll(async () => {
    api = await startMessagesApiServer({ interChunkDelayMs: 0 });
    mcp = await startMcpTestServer({ token: TOKEN });
    app = await startAppServer({ env: { ANTHROPIC_API_KEY: "model-key", ANTHROPIC_BASE_URL: api.url, EGRESS_ALLOW_PRIVATE_ADDRESSES: "true" } });
    client = new Anthropic({ apiKey: app.apiKey, baseURL: app.url, maxRetries: 0 });
  });
  afterAll(async () => {
    await app?.stop();
    await mcp?.close();
    await api?.close();
  });

  it("vault + mcp_oauth credential + agent with mcp_servers + session: the model's MCP call round-trips", async () => {
    const vault = await client.beta.vaults.create({ display_name: "alice" });
    await client.beta.vaults.credentials.create(vault.id, { auth: { type: "mcp_oauth", mcp_server_url: mcp.url, access_token: TOKEN } } as never);
    const agent = await client.beta.agents.create({
      name: "tracker agent",
      model: "claude-mcp-e2e",
      tools: [{ type: "mcp_toolset", mcp_server_name: "issues" }],
      mcp_servers: [{ type: "url", name: "issues", url: mcp.url }],
    } as never);
    const environment = await client.beta.environments.create({ name: "mcp env" });
    const session = await client.beta.sessions.create({ agent: agent.id, environment_id: environment.id, vault_ids: [vault.id] });

    api.enqueue({ content: [{ type: "tool_use", name: "issues__create_issue", input: { title: "Dark mode" } }] }, { content: [{ type: "text", text: "Filed #42." }] });
    const stream = await client.beta.sessions.events.stream(session.id);
    await client.beta.sessions.events.send(session.id, { events: [{ type: "user.message", content: [{ type: "text", text: "file a dark mode issue" }] }] });
    const seen: TEvent[] = [];
    for await (const event of stream as AsyncIterable<TEvent>) {
      seen.push(event);
      if (event.type === "session.status_idle" && (event.stop_reason as { type: string }).type !== "requires_action") break;
    }

    const use = seen.find((e) => e.type === "agent.mcp_tool_use")!;
    expect(use).toMatchObject({ mcp_server_name: "issues", name: "create_issue", input: { title: "Dark mode" }, evaluated_permission: "allow" });
    expect(seen.find((e) => e.type === "agent.mcp_tool_result")).toMatchObject({
      mcp_tool_use_id: use.id,
      is_error: false,
      content: [{ type: "text", text: "Created issue #42: Dark mode" }],
    });
    expect(seen.at(-1)).toMatchObject({ type: "session.status_idle", stop_reason: { type: "end_turn" } });
    expect(mcp.calls).toEqual([{ tool: "create_issue", input: { title: "Dark mode" } }]);

    const listed: TEvent[] = [];
    for await (const event of client.beta.sessions.events.list(session.id)) listed.push(event as unknown as TEvent);
    expect(listed.map((e) => e.type)).toContain("agent.mcp_tool_result");
    expect(JSON.stringify(listed)).not.toContain(TOKEN);
    for (const request of api.requests) expect(request.rawBody).not.toContain(TOKEN);
    expect(app.output()).not.toContain(TOKEN);
  });
});
