import { AppError } from "@/lib/errors";

/**
 * Query-string helpers for the SDK's encoding: arrays as `key[]=a&key[]=b` (repeated plain `key=`
 * also accepted), booleans as `true`/`false`, `limit` between 1 and 1000.
 */
export const DEFAULT_LIMIT = 20;
export const MAX_LIMIT = 1000;

export function queryArray(params: URLSearchParams, key: string): string[] {
  return [...params.getAll(`${key}[]`), ...params.getAll(key)].filter((v) => v !== "");
}

export function queryLimit(params: URLSearchParams, fallback = DEFAULT_LIMIT): number {
  const raw = params.get("limit");
  if (raw === null || raw === "") return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < 1 || value > MAX_LIMIT) {
    throw new AppError("invalid_request", `limit: must be an integer between 1 and ${MAX_LIMIT} (got ${JSON.stringify(raw.slice(0, 40))})`);
  }
  return value;
}

export function queryBoolean(params: URLSearchParams, key: string): boolean {
  const raw = params.get(key);
  if (raw === null || raw === "") return false;
  if (raw === "true") return true;
  if (raw === "false") return false;
  throw new AppError("invalid_request", `${key}: must be true or false`);
}

export function queryEnum<T extends string>(params: URLSearchParams, key: string, allowed: readonly T[], fallback: T): T {
  const raw = params.get(key);
  if (raw === null || raw === "") return fallback;
  if ((allowed as readonly string[]).includes(raw)) return raw as T;
  throw new AppError("invalid_request", `${key}: must be one of ${allowed.join(", ")}`);
}
