import { randomBytes } from "node:crypto";
import { readdirSync } from "node:fs";
import fs from "node:fs/promises";
import http from "node:http";
import type net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TNetworking } from "@/lib/environments/environment-config";
import { createHarness, type THarness } from "@/lib/harness/create-harness";
import { wake } from "@/lib/harness/wake";
import { newId } from "@/lib/ids";
import { createLogger } from "@/lib/log";
import { ScriptedModelClient, textTurn, toolUseTurn } from "@/lib/model/scripted-model-client";
import { InMemoryEventBus } from "@/lib/realtime/event-bus";
import type { TStoredEvent } from "@/lib/event-log/events";
import { loadSessionRepositories } from "@/lib/sessions/session-repositories";
import { VaultCipher } from "@/lib/vault/cipher";
import { createCredential } from "@/lib/vault/create-credential";
import { createVault } from "@/lib/vault/create-vault";
import { openTestDatabase, type TTestDatabase } from "@/tests/fixtures/databases";
import { newSessionInput, seedSessionPrereqs, type TSessionPrereqs } from "@/tests/fixtures/seed";
import { requireBubblewrap } from "../sandbox/local-fixture";
import { capturingLogger, startEchoServer, type EchoServer } from "./egress-fixture";

/**
 * The wiring end to end, as the server runs it: createHarness on PostgreSQL, the session's
 * environment (limited networking) and vault read from the database, a real bubblewrap sandbox in
 * its own network namespace behind the egress proxy, loopback servers standing in for outside
 * hosts. The credential is applied outside the sandbox, and every secret of the session is
 * redacted from what the harness stores.
 */

const PREFIX = "omatest-hegr-";
const SECRET = `sk_live_${randomBytes(12).toString("hex")}`;
const BEARER = `mcp_bearer_${randomBytes(12).toString("hex")}`;

let test: TTestDatabase;
let prereqs: TSessionPrereqs;
let dataDir: string;
let harness: THarness;
let model: ScriptedModelClient;
let api: EchoServer;
let docs: { port: number; close(): Promise<void> };
let logLines: string[];
const cipher = new VaultCipher({ current: randomBytes(32) });

beforeAll(async () => {
  if (process.getuid?.() !== 0) throw new Error("these tests need root (ip netns)");
  requireBubblewrap();
  test = await openTestDatabase("postgres");
  prereqs = await seedSessionPrereqs(test.db.prisma);
  api = await startEchoServer();
  // A page that happens to show the session's secrets (as a careless site might): nothing in the
  // egress path redacts it, since this host is no credential's host; the harness must.
  docs = await startPage(`value: ${SECRET}\nbase64: ${Buffer.from(BEARER).toString("base64")}\n`);
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), "oma-harness-egress-"));
  await fs.chmod(dataDir, 0o711);
  model = new ScriptedModelClient();
  const captured = capturingLogger();
  logLines = captured.lines;
  const hosts: Record<string, number> = { "api.test": api.port, "docs.test": docs.port };
  harness = createHarness({
    prisma: test.db.prisma,
    model,
    bus: new InMemoryEventBus(),
    log: createLogger({ level: "error" }),
    cipher: () => cipher,
    repositories: loadSessionRepositories,
    settings: {
      DATA_DIR: dataDir,
      HARNESS_CONCURRENCY: 4,
      HARNESS_LEASE_MS: 10_000,
      SANDBOX_IDLE_MS: 60_000,
      logger: captured.logger,
      localEgress: {
        namespacePrefix: PREFIX,
        resolve: (host) => (hosts[host] === undefined ? [] : [{ address: "127.0.0.1", port: hosts[host]! }]),
        allowPrivateAddresses: true,
      },
    },
  });
});

afterAll(async () => {
  await harness?.stop();
  expect(ownNamespaces()).toEqual([]);
  await Promise.all([api?.close(), docs?.close()]);
  await test?.cleanup();
  if (dataDir) await fs.rm(dataDir, { recursive: true, force: true });
});

function ownNamespaces(): string[] {
  try {
    return readdirSync("/run/netns").filter((n) => n.startsWith(`${PREFIX}${process.pid}-`));
  } catch {
    return [];
  }
}

async function startPage(body: string): Promise<{ port: number; close(): Promise<void> }> {
  const server = http.createServer((_req, res) => res.end(body));
  await new Promise<void>((resolve) => server.listen({ host: "127.0.0.1", port: 0 }, resolve));
  return { port: (server.address() as net.AddressInfo).port, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

async function sessionWithVault(networking: TNetworking): Promise<string> {
  const environment = await test.db.prisma.environment.create({
    data: { id: newId("environment"), teamId: prereqs.teamId, name: "limited", config: { type: "cloud", networking }, metadata: {} },
  });
  const vault = await createVault(test.db.prisma, { teamId: prereqs.teamId, body: { display_name: "keys" } });
  await createCredential(test.db.prisma, cipher, {
    teamId: prereqs.teamId,
    vaultId: vault.id,
    body: {
      auth: {
        type: "environment_variable",
        secret_name: "API_KEY",
        secret_value: SECRET,
        networking: { type: "limited", allowed_hosts: ["api.test"] },
        injection_location: { header: true, body: false },
      },
    },
  });
  await createCredential(test.db.prisma, cipher, {
    teamId: prereqs.teamId,
    vaultId: vault.id,
    body: { auth: { type: "static_bearer", mcp_server_url: "https://mcp.example.org/mcp", token: BEARER } },
  });
  const agentSnapshot = { type: "agent", model: { id: "claude-egress" }, system: null, tools: [{ type: "agent_toolset_20260401" }] };
  const session = await harness.store.createSession(newSessionInput(prereqs, { agentSnapshot, environmentId: environment.id, vaultIds: [vault.id] }));
  return session.id;
}

const textOf = (e: TStoredEvent | undefined) => JSON.stringify(e?.body ?? null);

describe("a session's sandbox, provisioned from its environment and vault", () => {
  it("applies the credential outside the sandbox, enforces the allow-list, and stores no secret", async () => {
    const sessionId = await sessionWithVault({ type: "limited", allowed_hosts: ["api.test", "docs.test"], allow_mcp_servers: false, allow_package_managers: false });
    model.enqueue(
      toolUseTurn("bash", {
        command: [
          'curl -sS --max-time 10 -H "Authorization: Bearer $API_KEY" http://api.test/v1/charges; echo',
          'curl -s -o /dev/null -w "other=%{http_code}\\n" --max-time 10 http://other.test/',
          'echo "sandbox sees API_KEY=$API_KEY"',
          "curl -sS --max-time 10 http://docs.test/page",
        ].join("; "),
      }),
      textTurn("done"),
    );
    await harness.store.appendEvents(sessionId, [{ type: "user.message", content: [{ type: "text", text: "charge it" }] }]);
    await wake(sessionId, harness.deps);
    const events = await harness.store.getEvents(sessionId, { limit: 10_000 });

    // Upstream got the real value; the sandbox only ever had a placeholder.
    expect(api.received.at(-1)).toMatchObject({ url: "/v1/charges", headers: { authorization: `Bearer ${SECRET}` } });
    const result = events.find((e) => e.body.type === "agent.tool_result")!;
    expect(result.body).toMatchObject({ is_error: false });
    const output = textOf(result);
    expect(output).toContain("Bearer [redacted]"); // the echo of the header, redacted by the proxy
    expect(output).toContain("other=403");
    expect(output).toMatch(/sandbox sees API_KEY=oma_egress_[0-9a-f]{32}/);
    expect(output).toContain("value: [redacted]"); // the page's copy, redacted by the harness
    expect(output).toContain("base64: [redacted]");

    const statuses = events.filter((e) => e.body.type === "span.sandbox_status").map((e) => e.body);
    expect(statuses).toEqual([
      expect.objectContaining({ status: "provisioning", provider: "local", sandbox_id: null }),
      expect.objectContaining({ status: "ready", provider: "local", sandbox_id: expect.stringMatching(/^sbx_/), duration_ms: expect.any(Number) }),
    ]);
    expect(ownNamespaces()).toHaveLength(1);

    // Nowhere: not the log, not the model's requests, not a log line.
    const everywhere = [JSON.stringify(events), JSON.stringify(model.calls.map((c) => c.request)), ...logLines].join("\n");
    for (const secret of [SECRET, BEARER, Buffer.from(BEARER).toString("base64")]) expect(everywhere).not.toContain(secret);
    expect(logLines.some((l) => l.includes('"msg":"egress refused"') && l.includes("other.test"))).toBe(true);
  });

  it("gives a session whose environment is self-hosted no network", async () => {
    const environment = await test.db.prisma.environment.create({
      data: { id: newId("environment"), teamId: prereqs.teamId, name: "self", config: { type: "self_hosted" }, metadata: {} },
    });
    const agentSnapshot = { type: "agent", model: { id: "claude-egress" }, system: null, tools: [{ type: "agent_toolset_20260401" }] };
    const session = await harness.store.createSession(newSessionInput(prereqs, { agentSnapshot, environmentId: environment.id }));
    model.enqueue(toolUseTurn("bash", { command: 'echo "proxy=${HTTPS_PROXY:-none}"; curl -s --max-time 5 http://api.test/ >/dev/null; echo "exit=$?"' }), textTurn("done"));
    const before = api.received.length;
    await harness.store.appendEvents(session.id, [{ type: "user.message", content: [{ type: "text", text: "try" }] }]);
    await wake(session.id, harness.deps);
    const events = await harness.store.getEvents(session.id, { limit: 10_000 });
    const output = textOf(events.find((e) => e.body.type === "agent.tool_result"));
    expect(output).toContain("proxy=none");
    expect(output).toContain("exit=6");
    expect(api.received.length).toBe(before);
  });
});
