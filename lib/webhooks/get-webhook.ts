import "server-only";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { findTeamWebhook } from "./find-team-webhook";
import { webhookToWire } from "./webhook-to-wire";

/** `GET /v1/webhooks/{id}`. */
export async function getWebhook(prisma: PrismaClient, options: { teamId: string; webhookId: string }) {
  return webhookToWire(await findTeamWebhook(prisma, options));
}
