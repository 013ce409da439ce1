import type { PrismaClient } from "@/lib/generated/prisma/client";
import type { TMultiagent } from "@/lib/agents/agent-content";
import { getAgentSnapshot } from "@/lib/agents/get-agent-snapshot";

/** The fields of a roster agent a session pins (SDK `BetaManagedAgentsSessionThreadAgent`). */
const THREAD_AGENT_FIELDS = ["id", "type", "version", "name", "description", "system", "model", "tools", "mcp_servers", "skills", "execution_identity"] as const;

/**
 * A session's `agent.multiagent`: the coordinator's roster expanded to the full definitions of the
 * versions it names (SDK `BetaManagedAgentsSessionMultiagentCoordinator`), pinned at creation like
 * the agent itself, so that the harness runs each thread from the session's record alone.
 */
export async function expandRoster(prisma: PrismaClient, options: { teamId: string; multiagent: TMultiagent }) {
  const agents = await Promise.all(
    options.multiagent.agents.map(async (ref) => {
      const agent = (await getAgentSnapshot(prisma, { teamId: options.teamId, agentId: ref.id, version: ref.version })) as Record<string, unknown>;
      return Object.fromEntries(THREAD_AGENT_FIELDS.map((field) => [field, agent[field]]));
    }),
  );
  return { type: "coordinator" as const, agents };
}
