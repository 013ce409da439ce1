import "server-only";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { AppError } from "@/lib/errors";
import { isId } from "@/lib/ids";
import { decodeCursor, encodeCursor } from "@/lib/resource/cursor";
import { queryBoolean, queryLimit } from "@/lib/resource/query";
import { memoryStoreToWire } from "./memory-store-to-wire";
import { queryCreatedAt } from "./query-time-range";

/**
 * `GET /v1/memory_stores`: the team's stores, newest first, in pages of `limit` (default 20) with an
 * opaque cursor (`next_page` null on the last page); archived ones only with `include_archived=true`;
 * `created_at[gte|lte]` bound the creation time.
 */
export async function listMemoryStores(prisma: PrismaClient, options: { teamId: string; query: URLSearchParams }) {
  const q = options.query;
  const limit = queryLimit(q);
  const page = q.get("page");
  const cursor = page ? decodeCursor(page) : null;
  if (cursor && (typeof cursor.id !== "string" || !isId("memoryStore", cursor.id))) throw new AppError("invalid_request", "page: not a cursor returned by this API");
  const createdAt = queryCreatedAt(q);
  const rows = await prisma.memoryStore.findMany({
    where: {
      teamId: options.teamId,
      ...(queryBoolean(q, "include_archived") ? {} : { archivedAt: null }),
      ...(createdAt ? { createdAt } : {}),
      ...(cursor ? { id: { lt: cursor.id as string } } : {}),
    },
    orderBy: { id: "desc" },
    take: limit + 1,
  });
  const items = rows.slice(0, limit);
  return { data: items.map(memoryStoreToWire), next_page: rows.length > limit ? encodeCursor({ id: items.at(-1)!.id }) : null };
}
