import "server-only";
import { AppError } from "@/lib/errors";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { isId } from "@/lib/ids";
import { findTeamWebhook } from "./find-team-webhook";
import { deliveryToWire } from "./webhook-to-wire";

/**
 * `POST /v1/webhooks/{id}/deliveries/{delivery_id}/resend`: the delivery is due again now, whatever
 * became of it (delivered, failed, or waiting for a retry); the dispatcher sends the same envelope
 * with the same `webhook-id`, so a receiver that has it already can tell. A failed delivery gets
 * one more attempt; `notify` tells this process's dispatcher at once.
 */
export async function resendDelivery(deps: { prisma: PrismaClient; notify?: () => void }, options: { teamId: string; webhookId: string; deliveryId: string }) {
  const endpoint = await findTeamWebhook(deps.prisma, options);
  const notFound = () => new AppError("not_found", `webhook delivery ${options.deliveryId.slice(0, 64)} not found`);
  if (!isId("webhookDelivery", options.deliveryId)) throw notFound();
  const updated = await deps.prisma.webhookDelivery.updateManyAndReturn({
    where: { id: options.deliveryId, endpointId: endpoint.id },
    data: { status: "pending", nextAttemptAt: new Date() },
  });
  if (updated.length === 0) throw notFound();
  deps.notify?.();
  return deliveryToWire(updated[0]!, endpoint.teamId);
}
