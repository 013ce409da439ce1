import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHarness, type THarness } from "@/lib/harness/create-harness";
import { createLogger } from "@/lib/log";
import { AnthropicModelClient } from "@/lib/model/anthropic-model-client";
import { InMemoryEventBus } from "@/lib/realtime/event-bus";
import type { TStoredEvent } from "@/lib/event-log/events";
import { loadSessionRepositories } from "@/lib/sessions/session-repositories";
import { VaultCipher } from "@/lib/vault/cipher";
import { createCredential } from "@/lib/vault/create-credential";
import { createVault } from "@/lib/vault/create-vault";
import { openTestDatabase, type TTestDatabase } from "@/tests/fixtures/databases";
import { startMessagesApiServer, type MessagesApiServer } from "@/tests/fixtures/messages-api";
import { newSessionInput, seedSessionPrereqs } from "@/tests/fixtures/seed";
import { until } from "@/tests/fixtures/wait";
import { startMcpTestServer, type TMcpTestServer } from "./mcp-test-server";

/**
 * MCP as the server runs it: `createHarness` (its own MCP wiring, tokens decrypted from the vault
 * with the harness's cipher) and a worker taking the session from the durable queue, including a
 * call that waits for the user's confirmation.
 */
const TOKEN = `mcp-oauth-${randomBytes(12).toString("hex")}`;

describe("harness worker with a real MCP server", () => {
  let test: TTestDatabase;
  let api: MessagesApiServer;
  let mcp: TMcpTestServer;
  let harness: THarness;
  let dataDir: string;
  const cipher = new VaultCipher({ current: new Uint8Array(randomBytes(32)) });

  beforeAll(async () => {
    test = await openTestDatabase("pglite");
    api = await startMessagesApiServer({ interChunkDelayMs: 0 });
    mcp = await startMcpTestServer({ token: TOKEN });
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "oma-mcp-"));
    harness = createHarness({
      prisma: test.db.prisma,
      model: new AnthropicModelClient({ apiKey: "test-key", baseURL: api.url }),
      bus: new InMemoryEventBus(),
      log: createLogger({ level: "error" }),
      settings: { DATA_DIR: dataDir, HARNESS_CONCURRENCY: 4, HARNESS_LEASE_MS: 5_000, SANDBOX_IDLE_MS: 60_000, EGRESS_ALLOW_PRIVATE_ADDRESSES: true },
      cipher: () => cipher,
      repositories: loadSessionRepositories,
    });
    harness.worker.start();
  });
  afterAll(async () => {
    await harness?.stop();
    await mcp?.close();
    await api?.close();
    await test?.cleanup();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  async function untilIdle(sessionId: string, afterSeq: number): Promise<TStoredEvent[]> {
    let session: Awaited<ReturnType<THarness["store"]["getSession"]>> | undefined;
    await until(
      `session ${sessionId} to go idle after event ${afterSeq}`,
      async () => {
        session = await harness.store.getSession(sessionId);
        return session?.state.status === "idle" && session.state.lastSeq > afterSeq;
      },
      { timeoutMs: 30_000, detail: () => `its state: ${JSON.stringify(session?.state)}` },
    );
    return harness.store.getEvents(sessionId, { limit: 10_000 });
  }

  it("asks before an always_ask MCP tool, then calls it with the vault's token once the user allows it", async () => {
    const prereqs = await seedSessionPrereqs(test.db.prisma);
    const vault = await createVault(test.db.prisma, { teamId: prereqs.teamId, body: { display_name: "user vault" } });
    await createCredential(test.db.prisma, cipher, {
      teamId: prereqs.teamId,
      vaultId: vault.id,
      body: { auth: { type: "mcp_oauth", mcp_server_url: mcp.url, access_token: TOKEN } },
    });
    const agentSnapshot = {
      type: "agent",
      model: { id: "claude-mcp-worker" },
      system: null,
      tools: [{ type: "mcp_toolset", mcp_server_name: "issues", default_config: { permission_policy: { type: "always_ask" } } }],
      mcp_servers: [{ type: "url", name: "issues", url: mcp.url }],
    };
    const session = await harness.store.createSession(newSessionInput(prereqs, { agentSnapshot, vaultIds: [vault.id] }));
    api.enqueue({ content: [{ type: "tool_use", name: "issues__create_issue", input: { title: "Crash on save" } }] }, { content: [{ type: "text", text: "Filed #42." }] });

    await harness.store.appendEvents(session.id, [{ type: "user.message", content: [{ type: "text", text: "file it" }] }], { wake: true });
    harness.worker.notify();
    let events = await untilIdle(session.id, 1);
    const use = events.find((e) => e.body.type === "agent.mcp_tool_use")!;
    expect(use.body).toMatchObject({ mcp_server_name: "issues", name: "create_issue", evaluated_permission: "ask" });
    expect(events.at(-1)!.body).toMatchObject({ type: "session.status_idle", stop_reason: { type: "requires_action", event_ids: [use.id] } });
    expect(mcp.calls).toEqual([]);

    const [confirmation] = (await harness.store.appendEvents(session.id, [{ type: "user.tool_confirmation", tool_use_id: use.id, result: "allow" }], { wake: true })).events;
    harness.worker.notify();
    events = await untilIdle(session.id, confirmation!.seq);
    expect(mcp.calls).toEqual([{ tool: "create_issue", input: { title: "Crash on save" } }]);
    expect(events.find((e) => e.body.type === "agent.mcp_tool_result")!.body).toMatchObject({
      mcp_tool_use_id: use.id,
      is_error: false,
      content: [{ type: "text", text: "Created issue #42: Crash on save" }],
    });
    expect(events.at(-1)!.body).toMatchObject({ type: "session.status_idle", stop_reason: { type: "end_turn" } });
    expect(JSON.stringify(events)).not.toContain(TOKEN);
    for (const request of api.requests) expect(request.rawBody).not.toContain(TOKEN);
  });
});
