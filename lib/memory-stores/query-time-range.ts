import "server-only";
import { AppError } from "@/lib/errors";

/** `created_at[gte]` / `created_at[lte]` of a list query as a Prisma date filter (RFC 3339 timestamps). */
export function queryCreatedAt(q: URLSearchParams): { gte?: Date; lte?: Date } | undefined {
  const range: { gte?: Date; lte?: Date } = {};
  for (const bound of ["gte", "lte"] as const) {
    const raw = q.get(`created_at[${bound}]`);
    if (raw === null || raw === "") continue;
    const time = Date.parse(raw);
    if (!/^\d{4}-\d{2}-\d{2}T/.test(raw) || Number.isNaN(time)) throw new AppError("invalid_request", `created_at[${bound}]: must be an RFC 3339 timestamp such as 2026-01-01T00:00:00Z`);
    range[bound] = new Date(time);
  }
  return range.gte || range.lte ? range : undefined;
}
