import "server-only";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { webhookToWire } from "./webhook-to-wire";
import { WEBHOOK_LIMITS } from "./schemas";

/** `GET /v1/webhooks`: the team's endpoints, newest first (a team has at most 20: one page). */
export async function listWebhooks(prisma: PrismaClient, options: { teamId: string }) {
  const rows = await prisma.webhookEndpoint.findMany({ where: { teamId: options.teamId }, orderBy: { id: "desc" }, take: WEBHOOK_LIMITS.endpointsPerTeam });
  return { data: rows.map(webhookToWire), next_page: null };
}
