import { AppError } from "@/lib/errors";

/** An optional integer query parameter within [min, max]: a 400 naming it otherwise. */
export function queryInt(params: URLSearchParams, key: string, min: number, max: number): number | undefined {
  const raw = params.get(key);
  if (raw === null || raw === "") return undefined;
  const value = Number(raw);
  if (!/^-?\d+$/.test(raw) || value < min || value > max) {
    throw new AppError("invalid_request", `${key}: must be an integer between ${min} and ${max} (got ${JSON.stringify(raw.slice(0, 40))})`, { path: key });
  }
  return value;
}
