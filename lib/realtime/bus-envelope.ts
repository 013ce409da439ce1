import { z } from "zod";
import { ZEventActorSchema, ZEventBodySchema } from "@/lib/event-log/events";
import { TOOL_OUTPUT_PREVIEW_MAX_CHARS, type TBusMessage } from "./event-bus";

/**
 * What `RedisEventBus` puts on the wire: a bus message with the session it belongs to and the bus
 * instance that published it. Parsed with zod on receipt, because whatever else can publish on the
 * Redis server must never feed a malformed event to a viewer.
 */
const ZStoredEventSchema = z.strictObject({
  id: z.string().min(1).max(128),
  sessionId: z.string().min(1).max(128),
  seq: z.number().int().positive(),
  processedAt: z.string().nullable(),
  createdAt: z.string(),
  body: ZEventBodySchema,
  actor: ZEventActorSchema.optional(),
});

const ZPreviewSchema = z.discriminatedUnion("type", [
  z.strictObject({
    type: z.literal("event_start"),
    event: z.strictObject({ type: z.enum(["agent.message", "agent.thinking"]), id: z.string().min(1).max(128) }),
  }),
  z.strictObject({
    type: z.literal("event_delta"),
    event_id: z.string().min(1).max(128),
    delta: z.strictObject({
      type: z.literal("content_delta"),
      index: z.number().int().nonnegative(),
      content: z.strictObject({ type: z.literal("text"), text: z.string() }),
    }),
  }),
  z.strictObject({
    type: z.literal("tool_output"),
    tool_use_id: z.string().min(1).max(128),
    stream: z.enum(["stdout", "stderr"]),
    text: z.string().max(TOOL_OUTPUT_PREVIEW_MAX_CHARS),
    truncated: z.boolean().optional(),
  }),
]);

export const ZBusMessageSchema = z.discriminatedUnion("kind", [
  z.strictObject({ kind: z.literal("events"), events: z.array(ZStoredEventSchema).min(1) }),
  z.strictObject({ kind: z.literal("preview"), preview: ZPreviewSchema }),
  z.strictObject({ kind: z.literal("deleted") }),
]);

export const ZBusEnvelopeSchema = z.strictObject({
  v: z.literal(1),
  origin: z.string().min(1).max(128),
  sessionId: z.string().min(1).max(128),
  message: ZBusMessageSchema,
});

export type TBusEnvelope = { v: 1; origin: string; sessionId: string; message: TBusMessage };

export function encodeEnvelope(envelope: TBusEnvelope): string {
  return JSON.stringify(envelope);
}

/** The envelope in `raw`, or the reason it is not one. */
export function decodeEnvelope(raw: string): { ok: true; envelope: TBusEnvelope } | { ok: false; reason: string } {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return { ok: false, reason: "not JSON" };
  }
  const parsed = ZBusEnvelopeSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return { ok: false, reason: `${issue.path.join(".") || "(root)"}: ${issue.message}` };
  }
  return { ok: true, envelope: parsed.data as TBusEnvelope };
}
