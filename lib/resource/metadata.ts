import { z } from "zod";
import { parseWith } from "./parse";
import { AppError } from "@/lib/errors";

/**
 * Metadata maps of agents and environments (reference §1.5): at most 16 keys, keys of 1–64
 * characters, values of at most 512. On update, metadata is a patch applied with
 * `applyMetadataPatch`; the limits hold for the merged result. Violations are 400s with
 * `error_code: invalid_metadata`.
 */
export const MAX_METADATA_KEYS = 16;

const ZKey = z.string().min(1, "keys must not be empty").max(64, "keys are at most 64 characters");
const ZValue = z.string().max(512, "values are at most 512 characters");

export const ZMetadataSchema = z.record(ZKey, ZValue).refine((m) => Object.keys(m).length <= MAX_METADATA_KEYS, `at most ${MAX_METADATA_KEYS} keys`);

/** A patch: a string upserts, null deletes, omitted keys are kept. */
export const ZMetadataPatchSchema = z.record(ZKey, ZValue.nullable());

export type TMetadata = Record<string, string>;

/**
 * Applies a metadata patch. `deleteEmpty` also deletes keys patched with "" (environments do,
 * agents keep an empty string as a value).
 */
export function applyMetadataPatch(current: TMetadata, patch: Record<string, string | null>, options: { deleteEmpty?: boolean } = {}): TMetadata {
  const merged = { ...current };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null || (options.deleteEmpty && value === "")) delete merged[key];
    else merged[key] = value;
  }
  if (Object.keys(merged).length > MAX_METADATA_KEYS) {
    throw new AppError("invalid_request", `metadata: at most ${MAX_METADATA_KEYS} keys (the update would leave ${Object.keys(merged).length})`, {
      errorCode: "invalid_metadata",
      path: "metadata",
    });
  }
  return merged;
}

/** Reads a stored metadata JSON value (anything that is not a string map reads as empty). */
export function metadataFromJson(value: unknown): TMetadata {
  if (!value || typeof value !== "object" || Array.isArray(value)) return {};
  return Object.fromEntries(Object.entries(value).filter((entry): entry is [string, string] => typeof entry[1] === "string"));
}

/** `parseWith`, and a metadata violation carries `error_code: invalid_metadata` (as the SDK expects). */
export function parseBody<T extends z.ZodType>(schema: T, value: unknown): z.infer<T> {
  try {
    return parseWith(schema, value);
  } catch (error) {
    const path = error instanceof AppError ? error.details?.path : undefined;
    if (error instanceof AppError && typeof path === "string" && /^metadata(\.|\[|$)/.test(path)) {
      throw new AppError(error.code, error.message, { ...error.details, errorCode: "invalid_metadata" });
    }
    throw error;
  }
}
