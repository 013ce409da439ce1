import "server-only";
import type { TSessionRecord } from "@/lib/event-log/session-store";
import { SessionMcpClients } from "@/lib/mcp/session-mcp-clients";
import { ownToolNames, type TAgentConfig } from "./agent-config";
import type { THarnessDeps } from "./wake-context";

/**
 * The MCP connections of one agent of a session, for one wake: opened on first use (see
 * SessionMcpClients) with the session's vaults, none when the agent has no MCP servers or the
 * harness runs without MCP. The agent's own tool names are reserved against the servers' tools.
 */
export function openSessionMcp(deps: THarnessDeps, session: TSessionRecord, agent: TAgentConfig): SessionMcpClients | undefined {
  if (!deps.mcp || agent.mcpServers.size === 0) return undefined;
  return new SessionMcpClients({
    deps: deps.mcp,
    servers: [...agent.mcpServers.values()],
    session: { id: session.id, teamId: session.teamId, vaultIds: session.vaultIds },
    reserved: ownToolNames(agent),
    log: deps.log,
  });
}
