import type { PrismaClient } from "@/lib/generated/prisma/client";
import type { TAdvisorEntry, TAgentRef, TMultiagent } from "@/lib/agents/agent-content";
import { getAgentSnapshot } from "@/lib/agents/get-agent-snapshot";

/** The fields of a roster agent a session pins (SDK `BetaManagedAgentsSessionThreadAgent`). */
const THREAD_AGENT_FIELDS = ["id", "type", "version", "name", "description", "system", "model", "tools", "mcp_servers", "skills", "execution_identity"] as const;

/**
 * A session's `agent.multiagent`: the agents it may run as threads expanded to the full definitions
 * of the versions it names, pinned at creation like the agent itself, so that the harness runs each
 * thread from the session's record alone: a coordinator's roster (SDK
 * `BetaManagedAgentsSessionMultiagentCoordinator`, its advisor entry as it is), or a `multiagent_20261001`'s
 * `subagents.predefined_agents` (SDK `BetaManagedAgentsSessionMultiagent20261001`).
 */
export async function expandRoster(prisma: PrismaClient, options: { teamId: string; multiagent: TMultiagent }) {
  const expand = (refs: readonly (TAgentRef | TAdvisorEntry)[]) =>
    Promise.all(
      refs.map(async (ref) => {
        if (ref.type === "advisor") return { ...ref };
        const agent = (await getAgentSnapshot(prisma, { teamId: options.teamId, agentId: ref.id, version: ref.version })) as Record<string, unknown>;
        return Object.fromEntries(THREAD_AGENT_FIELDS.map((field) => [field, agent[field]]));
      }),
    );
  const multiagent = options.multiagent;
  if (multiagent.type === "coordinator") return { type: "coordinator" as const, agents: await expand(multiagent.agents) };
  const subagents = multiagent.subagents.type === "enabled" ? { ...multiagent.subagents, predefined_agents: await expand(multiagent.subagents.predefined_agents) } : multiagent.subagents;
  return { ...multiagent, subagents };
}
