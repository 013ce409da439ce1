import "server-only";
import { AppError } from "@/lib/errors";
import type { PrismaClient, WebhookEndpoint } from "@/lib/generated/prisma/client";
import { isId } from "@/lib/ids";

/** The team's webhook endpoint, or 404 (the same answer for an unknown id, a malformed one and another team's). */
export async function findTeamWebhook(prisma: Pick<PrismaClient, "webhookEndpoint">, options: { teamId: string; webhookId: string }): Promise<WebhookEndpoint> {
  const endpoint = isId("webhook", options.webhookId) ? await prisma.webhookEndpoint.findFirst({ where: { id: options.webhookId, teamId: options.teamId } }) : null;
  if (!endpoint) throw new AppError("not_found", `webhook ${options.webhookId.slice(0, 64)} not found`);
  return endpoint;
}
