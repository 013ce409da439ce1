import type { PrismaClient } from "@/lib/generated/prisma/client";
import { findTeamAgent } from "./find-team-agent";
import { getAgentSnapshot } from "./get-agent-snapshot";
import { recordWebhookEvent } from "@/lib/webhooks/record-webhook-event";

/**
 * `POST /v1/agents/{id}/archive`: hides the agent from lists (unless `include_archived`), refuses
 * further updates and new sessions; its versions stay readable. Archiving twice changes nothing.
 */
export async function archiveAgent(prisma: PrismaClient, options: { teamId: string; agentId: string }) {
  const agent = await findTeamAgent(prisma, options.teamId, options.agentId);
  if (!agent.archivedAt) {
    // the agent.archived webhook commits with the archiving, and only when this call archived it
    await prisma.$transaction(async (tx) => {
      const { count } = await tx.agent.updateMany({ where: { id: agent.id, teamId: options.teamId, archivedAt: null }, data: { archivedAt: new Date() } });
      if (count > 0) await recordWebhookEvent(tx, { teamId: options.teamId, subjectId: agent.id, type: "agent.archived" });
    });
  }
  return getAgentSnapshot(prisma, { teamId: options.teamId, agentId: agent.id });
}
