import { z } from "zod";
import { ZMetadataPatchSchema, ZMetadataSchema } from "@/lib/resource/metadata";

/**
 * Request schemas of the memory store endpoints (reference §2.9, SDK 1.17 `beta.memoryStores`).
 * Strict: an unknown field is a 400 naming it. Messages never quote submitted content.
 */

/** Limits of the API, named once: the SDK documents the same numbers. */
export const MEMORY_LIMITS = {
  /** A memory's content, in UTF-8 bytes (100 kB). */
  contentBytes: 102_400,
  /** A path, in UTF-8 bytes. */
  pathBytes: 1024,
  /** Segments of a path (`/a/b/c.md` has 3). */
  pathSegments: 20,
  storeName: 255,
  storeDescription: 1024,
} as const;

const utf8Bytes = (s: string) => new TextEncoder().encode(s).length;

/**
 * Why `path` is not a memory path, or null when it is one. A path starts with `/` and has 1 to 20
 * segments; a segment is not empty, `.` or `..`; no control or format characters, nor U+2028/U+2029;
 * Unicode Normalization Form C; at most 1024 bytes. The server applies no normalisation of its own
 * (a path is stored exactly as sent, so `content_sha256`-style comparisons by clients hold): a path
 * that is not normalised is refused, never silently rewritten.
 */
export function memoryPathProblem(path: string): string | null {
  if (!path.startsWith("/")) return "must start with /";
  if (utf8Bytes(path) > MEMORY_LIMITS.pathBytes) return `must be at most ${MEMORY_LIMITS.pathBytes} bytes`;
  if (/[\p{Cc}\p{Cf}\u2028\u2029]/u.test(path)) return "must not contain control or format characters";
  if (path.normalize("NFC") !== path) return "must be in Unicode Normalization Form C";
  const segments = path.slice(1).split("/");
  if (segments.length > MEMORY_LIMITS.pathSegments) return `must have at most ${MEMORY_LIMITS.pathSegments} segments`;
  if (segments.some((segment) => segment === "")) return "must not have empty segments (no // and no trailing /)";
  if (segments.some((segment) => segment === "." || segment === "..")) return "must not have . or .. segments";
  return null;
}

/** A `path_prefix` to list under: `/`, or a valid path followed by `/`. */
export function pathPrefixProblem(prefix: string): string | null {
  if (!prefix.endsWith("/")) return "must end with /";
  return prefix === "/" ? null : memoryPathProblem(prefix.slice(0, -1));
}

export const ZMemoryPath = z.string().superRefine((path, ctx) => {
  const problem = memoryPathProblem(path);
  if (problem) ctx.addIssue({ code: "custom", message: problem });
});

export const ZMemoryContent = z
  .string()
  .refine((content) => utf8Bytes(content) <= MEMORY_LIMITS.contentBytes, `must be at most ${MEMORY_LIMITS.contentBytes} bytes (UTF-8)`);

const ZStoreName = z
  .string()
  .max(MEMORY_LIMITS.storeName, `at most ${MEMORY_LIMITS.storeName} characters`)
  .refine((s) => s.trim().length > 0, "must not be empty");
const ZStoreDescription = z.string().max(MEMORY_LIMITS.storeDescription, `at most ${MEMORY_LIMITS.storeDescription} characters`);

export const ZMemoryStoreCreateSchema = z.strictObject({ name: ZStoreName, description: ZStoreDescription.optional(), metadata: ZMetadataSchema.optional() });
/** `null` keeps a field (a description of null or "" clears it); metadata is a patch. */
export const ZMemoryStoreUpdateSchema = z.strictObject({
  name: ZStoreName.nullish(),
  description: ZStoreDescription.nullish(),
  metadata: ZMetadataPatchSchema.nullish(),
});

/** `content: null` creates an empty memory (the SDK's type allows it). */
export const ZMemoryCreateSchema = z.strictObject({ path: ZMemoryPath, content: ZMemoryContent.nullable() });

const ZSha256 = z.string().regex(/^[0-9a-f]{64}$/, "must be 64 lowercase hexadecimal characters");
export const ZMemoryUpdateSchema = z.strictObject({
  content: ZMemoryContent.nullish(),
  path: ZMemoryPath.nullish(),
  precondition: z.strictObject({ type: z.literal("content_sha256"), content_sha256: ZSha256 }).optional(),
});

export { ZSha256 };
export type TMemoryView = "basic" | "full";
