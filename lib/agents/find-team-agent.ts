import type { Agent, PrismaClient } from "@/lib/generated/prisma/client";
import { AppError } from "@/lib/errors";
import { isId } from "@/lib/ids";

/**
 * The team's agent, or 404 — the same answer for an unknown id, a malformed one and another
 * team's (ids are opaque to clients).
 */
export async function findTeamAgent(prisma: PrismaClient, teamId: string, agentId: string): Promise<Agent> {
  const agent = isId("agent", agentId) ? await prisma.agent.findFirst({ where: { id: agentId, teamId } }) : null;
  if (!agent) throw agentNotFound(agentId);
  return agent;
}

export function agentNotFound(agentId: string): AppError {
  return new AppError("not_found", `agent ${agentId.slice(0, 128)} not found`);
}
