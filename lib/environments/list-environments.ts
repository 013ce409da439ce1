import type { PrismaClient } from "@/lib/generated/prisma/client";
import { decodeCursor, encodeCursor } from "@/lib/resource/cursor";
import { queryBoolean, queryLimit } from "@/lib/resource/query";
import { AppError } from "@/lib/errors";
import { isId } from "@/lib/ids";
import { environmentToWire } from "./environment-to-wire";

/**
 * `GET /v1/environments`: the team's environments, newest first (by id, which is by creation
 * time), in pages of `limit` (default 20) with an opaque cursor; `next_page` is null on the last
 * page. Archived ones only with `include_archived=true`.
 */
export async function listEnvironments(prisma: PrismaClient, options: { teamId: string; query: URLSearchParams }) {
  const q = options.query;
  const limit = queryLimit(q);
  const page = q.get("page");
  const cursor = page ? decodeCursor(page) : null;
  if (cursor && (typeof cursor.id !== "string" || !isId("environment", cursor.id))) throw new AppError("invalid_request", "page: not a cursor returned by this API");
  const rows = await prisma.environment.findMany({
    where: {
      teamId: options.teamId,
      ...(queryBoolean(q, "include_archived") ? {} : { archivedAt: null }),
      ...(cursor ? { id: { lt: cursor.id as string } } : {}),
    },
    orderBy: { id: "desc" },
    take: limit + 1,
  });
  const items = rows.slice(0, limit);
  return { data: items.map(environmentToWire), next_page: rows.length > limit ? encodeCursor({ id: items.at(-1)!.id }) : null };
}
