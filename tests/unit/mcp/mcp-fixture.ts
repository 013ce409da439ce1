import { SandboxPool } from "@/lib/harness/sandbox-pool";
import type { THarnessDeps } from "@/lib/harness/wake-context";
import { InMemoryMcpConnector, staticMcpCredentials, type TInMemoryMcpServer } from "@/lib/mcp/in-memory-connector";
import { ScriptedModelClient, type TScriptedResponder, type TScriptedTurn } from "@/lib/model/scripted-model-client";
import { InMemoryEventBus } from "@/lib/realtime/event-bus";
import { FakeSandboxProvider } from "@/lib/sandbox/fake";
import { InMemorySessionStore } from "@/lib/event-log/in-memory-session-store";
import { withPublishing } from "@/lib/realtime/publishing-session-store";
import { IN_MEMORY_PREREQS, newSessionInput } from "@/tests/fixtures/seed";

export const GITHUB_URL = "https://mcp.example.test/github";
export const GITHUB_TOKEN = "mcp-access-token-4f9a1c7e2b";

/** A harness wired to the in-memory store, a scripted model and in-memory MCP servers: no I/O. */
export async function mcpHarnessFixture(options: {
  script: TScriptedTurn[] | TScriptedResponder;
  servers: Record<string, TInMemoryMcpServer>;
  /** The agent's mcp_servers and tools; default: one server "github" with an mcp_toolset. */
  mcpServers?: { name: string; url: string }[];
  tools?: unknown[];
  tokens?: Record<string, string>;
}) {
  const store = withPublishing(new InMemorySessionStore(), new InMemoryEventBus());
  const model = new ScriptedModelClient(options.script);
  const connector = new InMemoryMcpConnector(options.servers);
  const deps: THarnessDeps = {
    store,
    model,
    sandboxes: new SandboxPool(new FakeSandboxProvider({ exec: () => ({ exitCode: 0, stdout: "" }) })),
    interruptPollMs: 25,
    modelRetry: { attempts: 2, baseDelayMs: 1, maxDelayMs: 5 },
    mcp: { connector, credentials: staticMcpCredentials(options.tokens ?? { [GITHUB_URL]: GITHUB_TOKEN }) },
  };
  const agentSnapshot = {
    type: "agent",
    id: "agent_test",
    version: 1,
    name: "test",
    model: { id: "claude-test-model" },
    system: null,
    tools: options.tools ?? [{ type: "mcp_toolset", mcp_server_name: "github" }],
    mcp_servers: options.mcpServers ?? [{ type: "url", name: "github", url: GITHUB_URL }],
  };
  const session = await store.createSession(newSessionInput(IN_MEMORY_PREREQS, { agentSnapshot }));
  return {
    store,
    model,
    connector,
    deps,
    sessionId: session.id,
    send: (...bodies: unknown[]) => store.appendEvents(session.id, bodies),
    events: () => store.getEvents(session.id, { limit: 10_000 }),
  };
}

/** A tool that echoes its input as text. */
export const echoTool = {
  name: "create_issue",
  description: "Create an issue",
  inputSchema: { type: "object", properties: { title: { type: "string" } }, required: ["title"] },
  run: (input: Record<string, unknown>) => ({ content: [{ type: "text" as const, text: `created issue "${String(input.title)}" as #7` }], isError: false }),
};
