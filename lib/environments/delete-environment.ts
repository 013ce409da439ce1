import type { PrismaClient } from "@/lib/generated/prisma/client";
import { AppError } from "@/lib/errors";
import { findTeamEnvironment } from "./find-team-environment";
import { recordWebhookEvent } from "@/lib/webhooks/record-webhook-event";

/**
 * `DELETE /v1/environments/{id}`. Refused (409) while sessions still use the environment — they
 * keep a reference to it — whether they are archived or not: delete them first, or archive the
 * environment instead.
 */
export async function deleteEnvironment(prisma: PrismaClient, options: { teamId: string; environmentId: string }) {
  const env = await findTeamEnvironment(prisma, options.teamId, options.environmentId);
  const inUse = () => new AppError("conflict", `environment ${env.id} is used by sessions: delete them first, or archive the environment instead`);
  if ((await prisma.session.count({ where: { environmentId: env.id } })) > 0) throw inUse();
  // a session's additional environments (a JSON list, no foreign key: a session created meanwhile with it is not seen)
  if ((await prisma.session.count({ where: { additionalEnvironments: { array_contains: [{ environment_id: env.id }] } } })) > 0) throw inUse();
  try {
    await prisma.$transaction([prisma.environment.delete({ where: { id: env.id } }), recordWebhookEvent(prisma, { teamId: options.teamId, subjectId: env.id, type: "environment.deleted" })]);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === "P2003") throw inUse(); // a session was created meanwhile
    if (code === "P2025") throw new AppError("not_found", `environment ${env.id} not found`); // deleted meanwhile
    throw error;
  }
  return { id: env.id, type: "environment_deleted" as const };
}
