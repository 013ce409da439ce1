import { z } from "zod";

/** Request schemas of the dreams API (SDK 1.17 `DreamCreateParams`). */
const ZId = z.string().min(1).max(128);

const ZMemoryStoreInput = z.strictObject({ type: z.literal("memory_store"), memory_store_id: ZId });
const ZSessionsInput = z.strictObject({
  type: z.literal("sessions"),
  session_ids: z
    .array(ZId)
    .min(1, "give at least one session id")
    .max(100, "at most 100 session ids")
    .refine((ids) => new Set(ids).size === ids.length, "session ids must not repeat"),
});

export const ZDreamCreateSchema = z.strictObject({
  inputs: z
    .array(z.discriminatedUnion("type", [ZMemoryStoreInput, ZSessionsInput]))
    .refine(
      (inputs) => inputs.length === 2 && inputs.filter((i) => i.type === "memory_store").length === 1 && inputs.filter((i) => i.type === "sessions").length === 1,
      "give exactly one memory_store entry and exactly one sessions entry",
    ),
  model: z.union([
    z.string().min(1).max(256),
    z.strictObject({
      id: z.string().min(1).max(256),
      speed: z.enum(["standard", "fast"]).nullish().refine((speed) => speed !== "fast", "dreams accept only standard"),
    }),
  ]),
  instructions: z.string().min(1).max(4096).nullish(),
  output_behavior: z
    .discriminatedUnion("type", [z.strictObject({ type: z.literal("create_new") }), z.strictObject({ type: z.literal("update_existing"), memory_store_id: ZId })])
    .optional(),
});
export type TDreamCreate = z.infer<typeof ZDreamCreateSchema>;

export const DREAM_STATUSES = ["pending", "running", "completed", "failed", "canceled"] as const;
export type TDreamStatus = (typeof DREAM_STATUSES)[number];
