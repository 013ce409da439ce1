import "server-only";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { findTeamWebhook } from "./find-team-webhook";

/** `DELETE /v1/webhooks/{id}`: the endpoint and its deliveries are gone; nothing more is sent to it. */
export async function deleteWebhook(prisma: PrismaClient, options: { teamId: string; webhookId: string }) {
  const endpoint = await findTeamWebhook(prisma, options);
  await prisma.webhookEndpoint.deleteMany({ where: { id: endpoint.id, teamId: options.teamId } });
  return { id: endpoint.id, type: "webhook_deleted" as const };
}
