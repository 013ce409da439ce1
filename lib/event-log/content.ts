import { z } from "zod";

/**
 * Content blocks of the wire vocabulary (reference §3.1). Objects are strict: an unknown field is a
 * client error, named by its path, rather than something silently dropped from the log.
 */
export const MAX_TEXT_LENGTH = 4_000_000;

export const ZTextBlockSchema = z.strictObject({
  type: z.literal("text"),
  text: z.string().max(MAX_TEXT_LENGTH),
});

const ZBase64SourceSchema = z.strictObject({
  type: z.literal("base64"),
  data: z.string().max(MAX_TEXT_LENGTH),
  media_type: z.string().min(1).max(255),
});
const ZUrlSourceSchema = z.strictObject({ type: z.literal("url"), url: z.url().max(8192) });
const ZFileSourceSchema = z.strictObject({ type: z.literal("file"), file_id: z.string().min(1).max(255) });
const ZPlainTextSourceSchema = z.strictObject({
  type: z.literal("text"),
  data: z.string().max(MAX_TEXT_LENGTH),
  media_type: z.literal("text/plain"),
});

export const ZImageBlockSchema = z.strictObject({
  type: z.literal("image"),
  source: z.discriminatedUnion("type", [ZBase64SourceSchema, ZUrlSourceSchema, ZFileSourceSchema]),
});

export const ZDocumentBlockSchema = z.strictObject({
  type: z.literal("document"),
  source: z.discriminatedUnion("type", [
    ZBase64SourceSchema,
    ZPlainTextSourceSchema,
    ZUrlSourceSchema,
    ZFileSourceSchema,
  ]),
  title: z.string().max(1000).nullish(),
  context: z.string().max(MAX_TEXT_LENGTH).nullish(),
});

export const ZSearchResultBlockSchema = z.strictObject({
  type: z.literal("search_result"),
  source: z.string().max(8192),
  title: z.string().max(1000),
  content: z.array(ZTextBlockSchema).max(100),
  citations: z.strictObject({ enabled: z.boolean() }).optional(),
});

export const ZRedactedBlockSchema = z.strictObject({ type: z.literal("redacted") });

export const ZUserContentSchema = z
  .array(z.discriminatedUnion("type", [ZTextBlockSchema, ZImageBlockSchema, ZDocumentBlockSchema, ZRedactedBlockSchema]))
  .min(1)
  .max(100);

export const ZToolResultContentSchema = z
  .array(z.discriminatedUnion("type", [ZTextBlockSchema, ZImageBlockSchema, ZDocumentBlockSchema, ZSearchResultBlockSchema]))
  .max(100);

export const ZAgentContentSchema = z
  .array(z.discriminatedUnion("type", [ZTextBlockSchema, ZRedactedBlockSchema]))
  .max(100);

export type TTextBlock = z.infer<typeof ZTextBlockSchema>;
export type TUserContent = z.infer<typeof ZUserContentSchema>;
export type TToolResultContent = z.infer<typeof ZToolResultContentSchema>;
export type TAgentContent = z.infer<typeof ZAgentContentSchema>;
