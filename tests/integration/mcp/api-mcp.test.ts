import { randomBytes } from "node:crypto";
import Anthropic from "@anthropic-ai/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAppServer, type AppServer } from "@/tests/fixtures/app-server";
import { startMessagesApiServer, type MessagesApiServer } from "@/tests/fixtures/messages-api";
import { startOAuthTokenEndpoint, type TOAuthTokenEndpoint } from "@/tests/fixtures/oauth-token-endpoint";
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
  let endpoint: TOAuthTokenEndpoint;

  beforeAll(async () => {
    api = await startMessagesApiServer({ interChunkDelayMs: 0 });
    mcp = await startMcpTestServer({ token: TOKEN });
    endpoint = await startOAuthTokenEndpoint({ refreshToken: "unused", client: { id: "oma-public-client", secret: null }, accessToken: () => TOKEN });
    app = await startAppServer({ env: { ANTHROPIC_API_KEY: "model-key", ANTHROPIC_BASE_URL: api.url, EGRESS_ALLOW_PRIVATE_ADDRESSES: "true" } });
    client = new Anthropic({ apiKey: app.apiKey, baseURL: app.url, maxRetries: 0 });
  });
  afterAll(async () => {
    await app?.stop();
    await endpoint?.close();
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

  describe("mcpOAuthValidate", () => {
    const secret = (label: string) => `${label}-${randomBytes(12).toString("hex")}`;
    /** A vault with one mcp_oauth credential for the test server; with a refresh token, the endpoint accepts it. */
    async function oauthCredential(options: { accessToken: string; expiresAt?: string; refreshToken?: string }) {
      const vault = await client.beta.vaults.create({ display_name: "validate" });
      if (options.refreshToken) endpoint.refreshToken = options.refreshToken;
      const refresh = options.refreshToken
        ? { client_id: "oma-public-client", refresh_token: options.refreshToken, token_endpoint: endpoint.url, token_endpoint_auth: { type: "none" as const } }
        : undefined;
      const credential = await client.beta.vaults.credentials.create(vault.id, {
        auth: { type: "mcp_oauth", mcp_server_url: mcp.url, access_token: options.accessToken, expires_at: options.expiresAt, refresh },
      });
      return { vaultId: vault.id, credentialId: credential.id };
    }

    it("a working token is valid, and the answer has the SDK's shape", async () => {
      const { vaultId, credentialId } = await oauthCredential({ accessToken: TOKEN });
      const validation = await client.beta.vaults.credentials.mcpOAuthValidate(credentialId, { vault_id: vaultId });
      expect(validation).toEqual({
        type: "vault_credential_validation",
        credential_id: credentialId,
        vault_id: vaultId,
        status: "valid",
        has_refresh_token: false,
        validated_at: expect.any(String),
        mcp_probe: null,
        refresh: null,
      });
      expect(Date.parse(validation.validated_at)).toBeGreaterThan(Date.now() - 60_000);
    });

    it("a token about to expire is refreshed (public client) and the new one probed: valid, with the new expiry stored", async () => {
      const oldToken = secret("old-access");
      const refreshToken = secret("refresh");
      endpoint.mode = "issue";
      const seen = endpoint.requests.length;
      const { vaultId, credentialId } = await oauthCredential({ accessToken: oldToken, expiresAt: new Date(Date.now() + 30_000).toISOString(), refreshToken });
      const validation = await client.beta.vaults.credentials.mcpOAuthValidate(credentialId, { vault_id: vaultId });
      expect(validation).toMatchObject({ status: "valid", has_refresh_token: true, mcp_probe: null, refresh: { status: "succeeded", http_response: null } });
      expect(endpoint.requests.slice(seen).map((r) => r.form)).toEqual([{ grant_type: "refresh_token", refresh_token: refreshToken, client_id: "oma-public-client" }]);
      const stored = await client.beta.vaults.credentials.retrieve(credentialId, { vault_id: vaultId });
      expect(Date.parse((stored.auth as { expires_at: string }).expires_at)).toBeGreaterThan(Date.now() + 50 * 60_000);
      expect(JSON.stringify([validation, stored])).not.toMatch(new RegExp([oldToken, refreshToken, endpoint.refreshToken, TOKEN].join("|")));
    });

    it("a refused token whose refresh is refused too is invalid, with both HTTP answers scrubbed of the secrets", async () => {
      const refreshToken = secret("refresh");
      const { vaultId, credentialId } = await oauthCredential({ accessToken: secret("revoked"), refreshToken });
      endpoint.mode = "invalid_grant";
      try {
        const validation = await client.beta.vaults.credentials.mcpOAuthValidate(credentialId, { vault_id: vaultId });
        expect(validation).toMatchObject({
          status: "invalid",
          has_refresh_token: true,
          mcp_probe: { method: "initialize", http_response: { status_code: 401, content_type: "application/json", body: expect.stringContaining("invalid_token"), body_truncated: false } },
          refresh: { status: "failed", http_response: { status_code: 400, content_type: "application/json", body: expect.stringContaining("invalid_grant"), body_truncated: false } },
        });
        // the endpoint's error_description echoes the refresh token: it comes back redacted
        expect(validation.refresh!.http_response!.body).toContain("[redacted]");
        expect(JSON.stringify(validation)).not.toContain(refreshToken);
      } finally {
        endpoint.mode = "issue";
      }
    });

    it("a refused token without a refresh token is invalid; an unknown credential is 404", async () => {
      const revoked = secret("revoked");
      const { vaultId, credentialId } = await oauthCredential({ accessToken: revoked });
      const validation = await client.beta.vaults.credentials.mcpOAuthValidate(credentialId, { vault_id: vaultId });
      expect(validation).toMatchObject({ status: "invalid", has_refresh_token: false, mcp_probe: { method: "initialize" }, refresh: { status: "no_refresh_token", http_response: null } });
      expect(JSON.stringify(validation)).not.toContain(revoked);
      const unknown = await client.beta.vaults.credentials.mcpOAuthValidate("vcrd_01ABCDEFGHJKMNPQRSTVWXYZ00", { vault_id: vaultId }).catch((error: unknown) => error);
      expect(unknown).toBeInstanceOf(Anthropic.NotFoundError);
      expect(app.output()).not.toContain(revoked);
    });
  });
});
