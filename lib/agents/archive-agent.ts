import type { PrismaClient } from "@/lib/generated/prisma/client";
import { findTeamAgent } from "./find-team-agent";
import { getAgentSnapshot } from "./get-agent-snapshot";

/**
 * `POST /v1/agents/{id}/archive`: hides the agent from lists (unless `include_archived`), refuses
 * further updates and new sessions; its versions stay readable. Archiving twice changes nothing.
 */
export async function archiveAgent(prisma: PrismaClient, options: { teamId: string; agentId: string }) {
  const agent = await findTeamAgent(prisma, options.teamId, options.agentId);
  if (!agent.archivedAt) await prisma.agent.updateMany({ where: { id: agent.id, teamId: options.teamId, archivedAt: null }, data: { archivedAt: new Date() } });
  return getAgentSnapshot(prisma, { teamId: options.teamId, agentId: agent.id });
}
