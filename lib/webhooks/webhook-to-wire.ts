import "server-only";
import type { WebhookDelivery, WebhookEndpoint } from "@/lib/generated/prisma/client";
import { webhookEnvelope } from "./envelope";

/** A webhook endpoint on the wire. The signing secret is never part of it (only of the creation's answer). */
export function webhookToWire(endpoint: WebhookEndpoint) {
  return {
    id: endpoint.id,
    type: "webhook" as const,
    url: endpoint.url,
    description: endpoint.description,
    event_types: endpoint.eventTypes,
    created_at: endpoint.createdAt.toISOString(),
  };
}

/** One delivery of an event to an endpoint: its state, its last attempt's answer, and the envelope sent. */
export function deliveryToWire(delivery: WebhookDelivery, teamId: string) {
  return {
    id: delivery.id,
    type: "webhook_delivery" as const,
    webhook_id: delivery.endpointId,
    event_id: delivery.eventId,
    event_type: delivery.eventType,
    status: delivery.status as "pending" | "delivered" | "failed",
    attempts: delivery.attempts,
    next_attempt_at: delivery.status === "pending" ? delivery.nextAttemptAt.toISOString() : null,
    last_attempt_at: delivery.lastAttemptAt?.toISOString() ?? null,
    delivered_at: delivery.deliveredAt?.toISOString() ?? null,
    response_status: delivery.responseStatus,
    response_body: delivery.responseBody,
    error: delivery.lastError,
    created_at: delivery.createdAt.toISOString(),
    payload: webhookEnvelope({ ...delivery, teamId }),
  };
}

export type TWireWebhook = ReturnType<typeof webhookToWire>;
export type TWireWebhookDelivery = ReturnType<typeof deliveryToWire>;
