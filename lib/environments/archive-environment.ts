import type { PrismaClient } from "@/lib/generated/prisma/client";
import { environmentToWire } from "./environment-to-wire";
import { findTeamEnvironment } from "./find-team-environment";
import { recordWebhookEvent } from "@/lib/webhooks/record-webhook-event";

/**
 * `POST /v1/environments/{id}/archive`: no new sessions in it and no updates; existing sessions
 * keep it. Archiving twice changes nothing.
 */
export async function archiveEnvironment(prisma: PrismaClient, options: { teamId: string; environmentId: string }) {
  const env = await findTeamEnvironment(prisma, options.teamId, options.environmentId);
  if (env.archivedAt) return environmentToWire(env);
  // the environment.archived webhook commits with the archiving, and only when this call archived it
  await prisma.$transaction(async (tx) => {
    const { count } = await tx.environment.updateMany({ where: { id: env.id, teamId: options.teamId, archivedAt: null }, data: { archivedAt: new Date() } });
    if (count > 0) await recordWebhookEvent(tx, { teamId: options.teamId, subjectId: env.id, type: "environment.archived" });
  });
  return environmentToWire(await findTeamEnvironment(prisma, options.teamId, env.id));
}
