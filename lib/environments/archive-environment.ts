import type { PrismaClient } from "@/lib/generated/prisma/client";
import { environmentToWire } from "./environment-to-wire";
import { findTeamEnvironment } from "./find-team-environment";

/**
 * `POST /v1/environments/{id}/archive`: no new sessions in it and no updates; existing sessions
 * keep it. Archiving twice changes nothing.
 */
export async function archiveEnvironment(prisma: PrismaClient, options: { teamId: string; environmentId: string }) {
  const env = await findTeamEnvironment(prisma, options.teamId, options.environmentId);
  if (env.archivedAt) return environmentToWire(env);
  await prisma.environment.updateMany({ where: { id: env.id, teamId: options.teamId, archivedAt: null }, data: { archivedAt: new Date() } });
  return environmentToWire(await findTeamEnvironment(prisma, options.teamId, env.id));
}
