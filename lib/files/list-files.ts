import "server-only";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { AppError } from "@/lib/errors";
import { isId } from "@/lib/ids";
import { decodeCursor, encodeCursor } from "@/lib/resource/cursor";
import { queryArray, queryLimit } from "@/lib/resource/query";
import { fileToWire } from "./file-to-wire";

const MAX_IDS = 100;

/**
 * `GET /v1/files`: the team's files, newest first, in pages of `limit` (default 20) with an opaque
 * cursor (`next_page` null on the last page); `scope_id` keeps those made in one session. `ids[]`
 * (at most 100, without `limit` or `page`) answers those files in one page, silently leaving out
 * ids that name no file of the team.
 */
export async function listFiles(prisma: PrismaClient, options: { teamId: string; query: URLSearchParams }) {
  const q = options.query;
  const scopeId = q.get("scope_id") || null;
  const ids = [...new Set(queryArray(q, "ids"))];
  if (ids.length > 0) {
    if (q.has("limit") || q.has("page")) throw new AppError("invalid_request", "ids: cannot be combined with limit or page");
    if (ids.length > MAX_IDS) throw new AppError("invalid_request", `ids: at most ${MAX_IDS} ids`);
    const rows = await prisma.file.findMany({
      where: { teamId: options.teamId, id: { in: ids.filter((id) => isId("file", id)) }, ...(scopeId ? { scopeId } : {}) },
      orderBy: { id: "desc" },
    });
    return { data: rows.map((row) => fileToWire(row)), next_page: null };
  }
  const limit = queryLimit(q);
  const page = q.get("page");
  const cursor = page ? decodeCursor(page) : null;
  if (cursor && (typeof cursor.id !== "string" || !isId("file", cursor.id))) throw new AppError("invalid_request", "page: not a cursor returned by this API");
  const rows = await prisma.file.findMany({
    where: { teamId: options.teamId, ...(scopeId ? { scopeId } : {}), ...(cursor ? { id: { lt: cursor.id as string } } : {}) },
    orderBy: { id: "desc" },
    take: limit + 1,
  });
  const items = rows.slice(0, limit);
  return { data: items.map((row) => fileToWire(row)), next_page: rows.length > limit ? encodeCursor({ id: items.at(-1)!.id }) : null };
}
