import http from "node:http";
import type { AddressInfo } from "node:net";
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SandboxPool } from "@/lib/harness/sandbox-pool";
import { wake } from "@/lib/harness/wake";
import type { THarnessDeps } from "@/lib/harness/wake-context";
import { StreamableHttpMcpConnector } from "@/lib/mcp/streamable-http-connector";
import { VaultMcpCredentialSource } from "@/lib/mcp/vault-credential-source";
import { createLogger } from "@/lib/log";
import { AnthropicModelClient } from "@/lib/model/anthropic-model-client";
import { FakeSandboxProvider } from "@/lib/sandbox/fake";
import type { TStoredEvent } from "@/lib/event-log/events";
import { PrismaSessionStore } from "@/lib/event-log/prisma/prisma-session-store";
import { VaultCipher } from "@/lib/vault/cipher";
import { createCredential } from "@/lib/vault/create-credential";
import { createVault } from "@/lib/vault/create-vault";
import { openSecrets } from "@/lib/vault/credential-secrets";
import { publicAuthOf } from "@/lib/vault/credential-to-wire";
import { openTestDatabase, type TTestDatabase } from "@/tests/fixtures/databases";
import { startMessagesApiServer, type MessagesApiServer } from "@/tests/fixtures/messages-api";
import { startOAuthTokenEndpoint, type TOAuthTokenEndpoint } from "@/tests/fixtures/oauth-token-endpoint";
import { newSessionInput, seedSessionPrereqs, type TSessionPrereqs } from "@/tests/fixtures/seed";
import { startMcpTestServer, type TMcpTestServer } from "./mcp-test-server";

/**
 * The harness against a real MCP server (the SDK's server side over Streamable HTTP on loopback,
 * checking the bearer token), with the token in a real vault (encrypted in PGlite) and the real
 * Anthropic SDK against the scripted Messages API.
 */
const TOKEN = `mcp-oauth-${randomBytes(12).toString("hex")}`;
const WRONG_TOKEN = `mcp-oauth-${randomBytes(12).toString("hex")}`;
const secret = (label: string) => `${label}-${randomBytes(12).toString("hex")}`;

describe("harness with a real MCP server", () => {
  let test: TTestDatabase;
  let prereqs: TSessionPrereqs;
  let api: MessagesApiServer;
  let mcp: TMcpTestServer;
  let store: PrismaSessionStore;
  let deps: THarnessDeps;
  const cipher = new VaultCipher({ current: new Uint8Array(randomBytes(32)) });
  const logLines: string[] = [];
  const testLog = createLogger({ level: "debug", format: "json", write: (_level, line) => logLines.push(line) });

  beforeAll(async () => {
    test = await openTestDatabase("pglite");
    prereqs = await seedSessionPrereqs(test.db.prisma);
    api = await startMessagesApiServer({ interChunkDelayMs: 0 });
    mcp = await startMcpTestServer({ token: TOKEN });
    store = new PrismaSessionStore(test.db.prisma);
    deps = {
      store,
      model: new AnthropicModelClient({ apiKey: "test-key", baseURL: api.url }),
      sandboxes: new SandboxPool(new FakeSandboxProvider({})),
      modelRetry: { attempts: 1, baseDelayMs: 1, maxDelayMs: 1 },
      log: testLog,
      mcp: {
        connector: new StreamableHttpMcpConnector({ allowPrivateAddresses: true }),
        credentials: new VaultMcpCredentialSource(test.db.prisma, () => cipher, { allowPrivateAddresses: true, timeoutMs: 1_000, log: testLog }),
        connectTimeoutMs: 5_000,
      },
    };
  });
  afterAll(async () => {
    await mcp?.close();
    await api?.close();
    await test?.cleanup();
  });

  /** A vault holding an mcp_oauth credential for `credentialUrl`, and a session of an agent using `serverUrl`. */
  async function sessionWith(options: { serverUrl: string; credentialUrl: string; token: string }): Promise<string> {
    const vault = await createVault(test.db.prisma, { teamId: prereqs.teamId, body: { display_name: "user vault" } });
    await createCredential(test.db.prisma, cipher, {
      teamId: prereqs.teamId,
      vaultId: vault.id,
      body: { auth: { type: "mcp_oauth", mcp_server_url: options.credentialUrl, access_token: options.token } },
    });
    const agentSnapshot = {
      type: "agent",
      model: { id: "claude-mcp-test" },
      system: "You file issues.",
      tools: [{ type: "mcp_toolset", mcp_server_name: "issues" }],
      mcp_servers: [{ type: "url", name: "issues", url: options.serverUrl }],
    };
    const session = await store.createSession(newSessionInput(prereqs, { agentSnapshot, vaultIds: [vault.id] }));
    await store.appendEvents(session.id, [{ type: "user.message", content: [{ type: "text", text: "File an issue about the login bug" }] }]);
    return session.id;
  }

  const allEvents = (sessionId: string) => store.getEvents(sessionId, { limit: 10_000 });
  const ofType = (events: TStoredEvent[], type: string) => events.filter((e) => e.body.type === type);

  it("lists the server's tools for the model, round-trips a call with the vault's token, and never exposes the token", async () => {
    // the credential's URL differs only by a trailing slash: the same endpoint
    const sessionId = await sessionWith({ serverUrl: mcp.url, credentialUrl: `${mcp.url}/`, token: TOKEN });
    const requestsBefore = api.requests.length;
    api.enqueue({ content: [{ type: "tool_use", name: "issues__create_issue", input: { title: "Login fails" } }] }, { content: [{ type: "text", text: "Filed as #42." }] });
    await wake(sessionId, deps);

    const requests = api.requests.slice(requestsBefore);
    expect(requests).toHaveLength(2);
    const offered = requests[0]!.body!.tools!.map((t) => ("input_schema" in t ? { name: t.name, schema: t.input_schema } : null));
    expect(offered).toContainEqual({ name: "issues__create_issue", schema: expect.objectContaining({ type: "object", properties: { title: { type: "string" } } }) });
    expect(offered.map((t) => t?.name)).toContain("issues__fail");

    expect(mcp.calls).toContainEqual({ tool: "create_issue", input: { title: "Login fails" } });
    const events = await allEvents(sessionId);
    const use = ofType(events, "agent.mcp_tool_use")[0]!;
    expect(use.body).toMatchObject({ mcp_server_name: "issues", name: "create_issue", input: { title: "Login fails" }, evaluated_permission: "allow" });
    expect(ofType(events, "agent.mcp_tool_result")[0]!.body).toEqual({
      type: "agent.mcp_tool_result",
      mcp_tool_use_id: use.id,
      is_error: false,
      content: [{ type: "text", text: "Created issue #42: Login fails" }],
    });
    const second = requests[1]!.body!.messages;
    expect(second.at(-2)).toMatchObject({ role: "assistant", content: [{ type: "tool_use", id: use.id, name: "issues__create_issue" }] });
    expect(second.at(-1)).toMatchObject({ role: "user", content: [{ type: "tool_result", tool_use_id: use.id, is_error: false }] });
    expect(ofType(events, "session.status_idle").at(-1)!.body).toMatchObject({ stop_reason: { type: "end_turn" } });

    expect(JSON.stringify(events)).not.toContain(TOKEN);
    for (const request of requests) expect(request.rawBody).not.toContain(TOKEN);
  });

  it("passes an MCP tool error to the model as an error result", async () => {
    const sessionId = await sessionWith({ serverUrl: mcp.url, credentialUrl: mcp.url, token: TOKEN });
    api.enqueue({ content: [{ type: "tool_use", name: "issues__fail", input: { reason: "quota" } }] }, { content: [{ type: "text", text: "It failed." }] });
    await wake(sessionId, deps);
    const result = ofType(await allEvents(sessionId), "agent.mcp_tool_result")[0]!;
    expect(result.body).toMatchObject({ is_error: true, content: [{ type: "text", text: "failed: quota" }] });
  });

  it("a call of a tool the server does not have (listed earlier, since removed) is an error result for the model", async () => {
    const sessionId = await sessionWith({ serverUrl: mcp.url, credentialUrl: mcp.url, token: TOKEN });
    const [start] = (await store.appendEvents(sessionId, [{ type: "session.status_running" }, { type: "span.model_request_start" }])).events.slice(-1);
    const [use] = (await store.appendEvents(sessionId, [{ type: "agent.mcp_tool_use", mcp_server_name: "issues", name: "delete_everything", input: {}, evaluated_permission: "allow" }])).events;
    const usage = { input_tokens: 1, output_tokens: 1, cache_read_input_tokens: 0, cache_creation_input_tokens: 0 };
    await store.appendEvents(sessionId, [{ type: "span.model_request_end", model_request_start_id: start!.id, is_error: false, model_usage: usage }]);
    api.enqueue({ content: [{ type: "text", text: "That tool is gone." }] });
    await wake(sessionId, deps);
    const events = await allEvents(sessionId);
    const result = ofType(events, "agent.mcp_tool_result")[0]!;
    expect(result.body).toMatchObject({ mcp_tool_use_id: use!.id, is_error: true });
    expect(JSON.stringify(result.body)).toContain("delete_everything");
    expect(ofType(events, "session.error")).toHaveLength(0);
    expect(mcp.calls.map((c) => c.tool)).not.toContain("delete_everything");
  });

  it("a refused token is a session.error mcp_authentication_failed_error naming the server, without the token", async () => {
    const refusedBefore = mcp.refused;
    const sessionId = await sessionWith({ serverUrl: mcp.url, credentialUrl: mcp.url, token: WRONG_TOKEN });
    const requestsBefore = api.requests.length;
    api.enqueue({ content: [{ type: "text", text: "I cannot reach the tracker." }] });
    await wake(sessionId, deps);
    expect(mcp.refused).toBeGreaterThan(refusedBefore);
    const events = await allEvents(sessionId);
    const errors = ofType(events, "session.error");
    expect(errors).toHaveLength(1);
    expect(errors[0]!.body).toMatchObject({ error: { type: "mcp_authentication_failed_error", mcp_server_name: "issues", retry_status: { type: "retrying" } } });
    expect(api.requests[requestsBefore]!.body!.tools ?? []).toEqual([]);
    expect(ofType(events, "session.status_idle").at(-1)!.body).toMatchObject({ stop_reason: { type: "end_turn" } });
    expect(JSON.stringify(events)).not.toContain(WRONG_TOKEN);
    const warning = logLines.find((line) => line.includes("MCP server unavailable"));
    expect(warning).toContain('"kind":"authentication"');
    expect(logLines.join("\n")).not.toContain(WRONG_TOKEN);
  });

  it("an unreachable server is a session.error mcp_connection_failed_error, and the turn still gets an answer", async () => {
    const closedUrl = await urlOfClosedPort();
    const sessionId = await sessionWith({ serverUrl: closedUrl, credentialUrl: closedUrl, token: TOKEN });
    api.enqueue({ content: [{ type: "text", text: "The tracker is down." }] });
    await wake(sessionId, deps);
    const events = await allEvents(sessionId);
    const error = ofType(events, "session.error")[0]!;
    expect(error.body).toMatchObject({ error: { type: "mcp_connection_failed_error", mcp_server_name: "issues" } });
    expect(JSON.stringify(error.body)).toContain("could not be reached");
    expect(ofType(events, "agent.message")).toHaveLength(1);
    expect(JSON.stringify(events)).not.toContain(TOKEN);
    expect(logLines.join("\n")).not.toContain(TOKEN);
  });

  describe("OAuth credentials that refresh themselves", () => {
    let endpoint: TOAuthTokenEndpoint;
    const CLIENT = { id: "oma-client", secret: secret("client-secret") };
    beforeAll(async () => {
      endpoint = await startOAuthTokenEndpoint({ refreshToken: "unused", client: CLIENT, accessToken: () => TOKEN });
    });
    afterAll(async () => {
      await endpoint?.close();
    });

    /** A session whose vault holds an mcp_oauth credential for the test server; the endpoint accepts `refreshToken`. */
    async function oauthSession(auth: Record<string, unknown>, options: { refreshToken?: string; expiredAt?: string; authType?: string } = {}) {
      const vault = await createVault(test.db.prisma, { teamId: prereqs.teamId, body: { display_name: "oauth vault" } });
      const refresh = options.refreshToken
        ? {
            client_id: CLIENT.id,
            refresh_token: options.refreshToken,
            token_endpoint: endpoint.url,
            token_endpoint_auth: options.authType === "client_secret_post" ? { type: "client_secret_post", client_secret: CLIENT.secret } : { type: "client_secret_basic", client_secret: CLIENT.secret },
            resource: mcp.url,
          }
        : undefined;
      if (options.refreshToken) endpoint.refreshToken = options.refreshToken;
      const credential = await createCredential(test.db.prisma, cipher, {
        teamId: prereqs.teamId,
        vaultId: vault.id,
        body: { auth: { type: "mcp_oauth", mcp_server_url: mcp.url, ...auth, ...(refresh ? { refresh } : {}) } },
      });
      if (options.expiredAt) {
        const row = await test.db.prisma.credential.findUniqueOrThrow({ where: { id: credential.id } });
        await test.db.prisma.credential.update({ where: { id: row.id }, data: { auth: { ...publicAuthOf(row), expires_at: options.expiredAt } } });
      }
      const agentSnapshot = {
        type: "agent",
        model: { id: "claude-mcp-test" },
        system: null,
        tools: [{ type: "mcp_toolset", mcp_server_name: "issues" }],
        mcp_servers: [{ type: "url", name: "issues", url: mcp.url }],
      };
      const session = await store.createSession(newSessionInput(prereqs, { agentSnapshot, vaultIds: [vault.id] }));
      await store.appendEvents(session.id, [{ type: "user.message", content: [{ type: "text", text: "File an issue" }] }]);
      return { sessionId: session.id, credentialId: credential.id };
    }

    const stored = async (credentialId: string) => {
      const row = await test.db.prisma.credential.findUniqueOrThrow({ where: { id: credentialId } });
      return { row, auth: publicAuthOf(row), secrets: openSecrets(cipher, row) };
    };

    /** No secret in the session's events, the model's requests or the log. */
    const expectNoSecrets = async (sessionId: string, secrets: string[], requestsFrom: number) => {
      const events = JSON.stringify(await allEvents(sessionId));
      const requests = api.requests.slice(requestsFrom).map((r) => r.rawBody).join("\n");
      const logs = logLines.join("\n");
      for (const value of secrets) {
        expect(events, "events").not.toContain(value);
        expect(requests, "model requests").not.toContain(value);
        expect(logs, "log").not.toContain(value);
      }
    };

    it("refreshes a token about to expire before the MCP call (client_secret_basic), storing the new tokens encrypted", async () => {
      const oldToken = secret("old-access");
      const refreshToken = secret("refresh");
      const { sessionId, credentialId } = await oauthSession({ access_token: oldToken, expires_at: new Date(Date.now() + 30_000).toISOString() }, { refreshToken });
      const seen = endpoint.requests.length;
      const requestsBefore = api.requests.length;
      endpoint.mode = "issue";
      api.enqueue({ content: [{ type: "tool_use", name: "issues__create_issue", input: { title: "Refreshed" } }] }, { content: [{ type: "text", text: "Filed." }] });
      await wake(sessionId, deps);

      expect(endpoint.requests.slice(seen)).toEqual([
        {
          authorization: `Basic ${Buffer.from(`${CLIENT.id}:${CLIENT.secret}`).toString("base64")}`,
          contentType: "application/x-www-form-urlencoded",
          form: { grant_type: "refresh_token", refresh_token: refreshToken, resource: mcp.url },
        },
      ]);
      expect(mcp.calls).toContainEqual({ tool: "create_issue", input: { title: "Refreshed" } });
      const events = await allEvents(sessionId);
      expect(ofType(events, "agent.mcp_tool_result")[0]!.body).toMatchObject({ is_error: false });
      expect(ofType(events, "session.error")).toEqual([]);

      const { row, auth, secrets } = await stored(credentialId);
      const rotated = endpoint.refreshToken;
      expect(secrets).toEqual({ access_token: TOKEN, refresh_token: rotated, client_secret: CLIENT.secret });
      expect(auth.type === "mcp_oauth" && Date.parse(auth.expires_at!)).toBeGreaterThan(Date.now() + 50 * 60_000);
      expect(row.keyId).toBe(cipher.keyId);
      const raw = Buffer.from(row.secretCiphertext).toString("latin1") + JSON.stringify(row.auth);
      for (const value of [TOKEN, rotated, oldToken, refreshToken, CLIENT.secret]) expect(raw).not.toContain(value);
      await expectNoSecrets(sessionId, [TOKEN, rotated, oldToken, refreshToken, CLIENT.secret], requestsBefore);
    });

    it("a token the server refuses is refreshed once (client_secret_post) and the connection tried again", async () => {
      const refreshToken = secret("refresh");
      const { sessionId, credentialId } = await oauthSession({ access_token: WRONG_TOKEN }, { refreshToken, authType: "client_secret_post" });
      const seen = endpoint.requests.length;
      const requestsBefore = api.requests.length;
      endpoint.mode = "issue";
      api.enqueue({ content: [{ type: "tool_use", name: "issues__create_issue", input: { title: "After a 401" } }] }, { content: [{ type: "text", text: "Filed." }] });
      await wake(sessionId, deps);
      expect(endpoint.requests.slice(seen).map((r) => r.form)).toEqual([
        { grant_type: "refresh_token", refresh_token: refreshToken, client_id: CLIENT.id, client_secret: CLIENT.secret, resource: mcp.url },
      ]);
      expect(mcp.calls).toContainEqual({ tool: "create_issue", input: { title: "After a 401" } });
      expect(ofType(await allEvents(sessionId), "session.error")).toEqual([]);
      expect((await stored(credentialId)).secrets).toMatchObject({ access_token: TOKEN });
      await expectNoSecrets(sessionId, [TOKEN, WRONG_TOKEN, refreshToken, endpoint.refreshToken, CLIENT.secret], requestsBefore);
    });

    it("a refresh that fails while the token still has time left uses the token, with a warning in the log", async () => {
      const refreshToken = secret("refresh");
      const { sessionId, credentialId } = await oauthSession({ access_token: TOKEN, expires_at: new Date(Date.now() + 30_000).toISOString() }, { refreshToken });
      const seen = endpoint.requests.length;
      const requestsBefore = api.requests.length;
      endpoint.mode = "invalid_grant";
      try {
        api.enqueue({ content: [{ type: "tool_use", name: "issues__create_issue", input: { title: "Still valid" } }] }, { content: [{ type: "text", text: "Filed." }] });
        await wake(sessionId, deps);
      } finally {
        endpoint.mode = "issue";
      }
      expect(endpoint.requests.length).toBeGreaterThan(seen);
      expect(mcp.calls).toContainEqual({ tool: "create_issue", input: { title: "Still valid" } });
      expect(ofType(await allEvents(sessionId), "session.error")).toEqual([]);
      expect(logLines.find((line) => line.includes("MCP OAuth refresh failed") && line.includes(credentialId))).toContain("invalid_grant");
      expect((await stored(credentialId)).secrets).toMatchObject({ access_token: TOKEN, refresh_token: refreshToken });
      await expectNoSecrets(sessionId, [TOKEN, refreshToken, CLIENT.secret], requestsBefore);
    });

    /** An expired credential's MCP tool call, already chosen by the model; the wake runs it and asks the model once more. */
    async function runExpiredCall(options: { refreshToken?: string }) {
      const oldToken = secret("old-access");
      const { sessionId, credentialId } = await oauthSession({ access_token: oldToken }, { ...options, expiredAt: new Date(Date.now() - 60_000).toISOString() });
      const [start] = (await store.appendEvents(sessionId, [{ type: "session.status_running" }, { type: "span.model_request_start" }])).events.slice(-1);
      const [use] = (await store.appendEvents(sessionId, [{ type: "agent.mcp_tool_use", mcp_server_name: "issues", name: "create_issue", input: { title: "x" }, evaluated_permission: "allow" }])).events;
      const usage = { input_tokens: 1, output_tokens: 1, cache_read_input_tokens: 0, cache_creation_input_tokens: 0 };
      await store.appendEvents(sessionId, [{ type: "span.model_request_end", model_request_start_id: start!.id, is_error: false, model_usage: usage }]);
      const requestsBefore = api.requests.length;
      api.enqueue({ content: [{ type: "text", text: "The tracker refused me." }] });
      await wake(sessionId, deps);
      const events = await allEvents(sessionId);
      return { events, use: use!, oldToken, credentialId, sessionId, requestsBefore };
    }

    it.each([
      ["refuses the refresh token", "invalid_grant" as const, /could not be refreshed: the token endpoint answered HTTP 400 \(invalid_grant\)/],
      ["does not answer", "hang" as const, /could not be refreshed: the token endpoint did not answer within 1 s/],
    ])("a token endpoint that %s ends the tool call with mcp_authentication_failed_error, and the turn goes on", async (_label, mode, reason) => {
      const refreshToken = secret("refresh");
      endpoint.mode = mode;
      const seen = endpoint.requests.length;
      const { events, use, oldToken, credentialId, sessionId, requestsBefore } = await runExpiredCall({ refreshToken });
      expect(endpoint.requests.length).toBeGreaterThan(seen);
      const result = ofType(events, "agent.mcp_tool_result")[0]!;
      expect(result.body).toMatchObject({ mcp_tool_use_id: use.id, is_error: true });
      expect(JSON.stringify(result.body)).toMatch(reason);
      const errors = ofType(events, "session.error");
      expect(errors.length).toBeGreaterThanOrEqual(1);
      for (const error of errors) expect(error.body).toMatchObject({ error: { type: "mcp_authentication_failed_error", mcp_server_name: "issues" } });
      expect(JSON.stringify(errors[0]!.body)).toMatch(reason);
      expect(ofType(events, "session.status_idle").at(-1)!.body).toMatchObject({ stop_reason: { type: "end_turn" } });
      expect(mcp.calls.map((c) => c.input)).not.toContainEqual({ title: "x" });
      expect((await stored(credentialId)).secrets).toMatchObject({ access_token: oldToken, refresh_token: refreshToken });
      await expectNoSecrets(sessionId, [oldToken, refreshToken, CLIENT.secret], requestsBefore);
      endpoint.mode = "issue";
    });

    it("an expired token without a refresh token is mcp_authentication_failed_error, and no token endpoint is called", async () => {
      const seen = endpoint.requests.length;
      const { events, oldToken, sessionId, requestsBefore } = await runExpiredCall({});
      expect(endpoint.requests.length).toBe(seen);
      expect(JSON.stringify(ofType(events, "agent.mcp_tool_result")[0]!.body)).toMatch(/expired at .* has no refresh token/);
      expect(ofType(events, "session.error")[0]!.body).toMatchObject({ error: { type: "mcp_authentication_failed_error", mcp_server_name: "issues" } });
      expect(ofType(events, "session.status_idle").at(-1)!.body).toMatchObject({ stop_reason: { type: "end_turn" } });
      await expectNoSecrets(sessionId, [oldToken], requestsBefore);
    });
  });
});

/** A loopback URL on which nothing listens (a port that was just released). */
async function urlOfClosedPort(): Promise<string> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}/mcp`;
}
