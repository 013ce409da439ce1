import "server-only";
import type { Prisma, PrismaClient } from "@/lib/generated/prisma/client";
import { AppError } from "@/lib/errors";
import { isId } from "@/lib/ids";
import { decodeCursor, encodeCursor } from "@/lib/resource/cursor";
import { queryArray, queryBoolean, queryLimit } from "@/lib/resource/query";
import { dreamToWire, type TWireDream } from "./dream-to-wire";
import { readDreamViews } from "./read-dream-views";
import { DREAM_STATUSES, type TDreamStatus } from "./schemas";

/** How many dreams one page reads at most while looking for ones of the asked statuses. */
const SCAN_MAX = 500;

/**
 * `GET /v1/dreams`: the team's dreams, newest first, in pages of `limit` (default 20, at most 100)
 * with an opaque cursor; archived ones only with `include_archived=true`; `created_at[gt|lt]`
 * (exclusive) and `statuses` (repeated, `statuses[]=` or `statuses=`).
 *
 * Decision: a status is a fold, not a column (dream-status.ts), so `statuses` filters after the
 * fold: a page reads dreams in order, batch by batch, until it has `limit` matches or has read
 * SCAN_MAX dreams; then `next_page` continues after the last dream read. A filtered page can thus
 * be shorter than `limit` (even empty) while `next_page` is not null; follow it to the end.
 */
export async function listDreams(prisma: PrismaClient, options: { teamId: string; query: URLSearchParams }) {
  const q = options.query;
  const limit = queryLimit(q);
  if (limit > 100) throw new AppError("invalid_request", "limit: must be an integer between 1 and 100");
  const page = q.get("page");
  const cursor = page ? decodeCursor(page) : null;
  if (cursor && (typeof cursor.id !== "string" || !isId("dream", cursor.id))) throw new AppError("invalid_request", "page: not a cursor returned by this API");
  const statuses = queryArray(q, "statuses");
  const bad = statuses.find((s) => !(DREAM_STATUSES as readonly string[]).includes(s));
  if (bad !== undefined) throw new AppError("invalid_request", `statuses: must each be one of ${DREAM_STATUSES.join(", ")} (got ${JSON.stringify(bad.slice(0, 40))})`);
  const createdAt: { gt?: Date; lt?: Date } = {};
  for (const bound of ["gt", "lt"] as const) {
    const raw = q.get(`created_at[${bound}]`);
    if (raw === null || raw === "") continue;
    const time = Date.parse(raw);
    if (!/^\d{4}-\d{2}-\d{2}T/.test(raw) || Number.isNaN(time)) throw new AppError("invalid_request", `created_at[${bound}]: must be an RFC 3339 timestamp such as 2026-01-01T00:00:00Z`);
    createdAt[bound] = new Date(time);
  }
  const where: Prisma.DreamWhereInput = {
    teamId: options.teamId,
    ...(queryBoolean(q, "include_archived") ? {} : { archivedAt: null }),
    ...(createdAt.gt || createdAt.lt ? { createdAt } : {}),
  };

  const data: TWireDream[] = [];
  let after = cursor ? (cursor.id as string) : null;
  let scanned = 0;
  let more = true;
  while (data.length < limit && scanned < SCAN_MAX && more) {
    const take = statuses.length ? Math.min(100, SCAN_MAX - scanned) : limit - data.length;
    const rows = await prisma.dream.findMany({ where: { ...where, ...(after ? { id: { lt: after } } : {}) }, orderBy: { id: "desc" }, take: take + 1 });
    more = rows.length > take;
    const batch = rows.slice(0, take);
    const views = await readDreamViews(prisma, batch);
    for (const row of batch) {
      after = row.id;
      scanned++;
      const view = views.get(row.id)!;
      if (statuses.length === 0 || statuses.includes(view.state.status as TDreamStatus)) data.push(dreamToWire(row, view));
      if (data.length === limit) {
        more = more || row !== batch.at(-1);
        break;
      }
    }
  }
  return { data, next_page: more && after ? encodeCursor({ id: after }) : null };
}
