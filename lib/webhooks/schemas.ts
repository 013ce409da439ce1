import "server-only";
import { z } from "zod";
import { WEBHOOK_EVENT_TYPES } from "./event-types";

/** Limits of the webhook endpoints API, named once. */
export const WEBHOOK_LIMITS = { url: 2048, description: 512, endpointsPerTeam: 20 } as const;

/**
 * `POST /v1/webhooks`: where to deliver (`url`) and which events (`event_types`, at least one of
 * WEBHOOK_EVENT_TYPES). Strict: an unknown field is a 400 naming it.
 */
export const ZWebhookCreateSchema = z.strictObject({
  url: z.string({ error: "must be a string" }).trim().min(1, { error: "is required" }).max(WEBHOOK_LIMITS.url, { error: `must be at most ${WEBHOOK_LIMITS.url} characters` }),
  event_types: z
    .array(z.enum(WEBHOOK_EVENT_TYPES, { error: `must be one of ${WEBHOOK_EVENT_TYPES.join(", ")}` }), { error: "must be an array of event types" })
    .min(1, { error: "must name at least one event type" })
    .max(WEBHOOK_EVENT_TYPES.length),
  description: z.string().max(WEBHOOK_LIMITS.description, { error: `must be at most ${WEBHOOK_LIMITS.description} characters` }).optional(),
});

export type TWebhookCreate = z.infer<typeof ZWebhookCreateSchema>;
