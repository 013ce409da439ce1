import type { PrismaClient } from "@/lib/generated/prisma/client";
import { AppError } from "@/lib/errors";
import { agentToWire, type TWireAgent } from "./agent-to-wire";
import { findTeamAgent } from "./find-team-agent";

/**
 * The Agent object of one version of the team's agent (the latest when `version` is omitted), as
 * a session pins it. 404 for another team's agent or a version that does not exist.
 */
export async function getAgentSnapshot(prisma: PrismaClient, options: { teamId: string; agentId: string; version?: number }): Promise<TWireAgent> {
  const agent = await findTeamAgent(prisma, options.teamId, options.agentId);
  const version = options.version ?? agent.currentVersion;
  const row = await prisma.agentVersion.findUnique({ where: { agentId_version: { agentId: agent.id, version } } });
  if (!row) throw new AppError("not_found", `agent ${agent.id} has no version ${version} (its latest is ${agent.currentVersion})`);
  return agentToWire(agent, row);
}
