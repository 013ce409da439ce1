import "server-only";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { decodeCursor, encodeCursor } from "@/lib/resource/cursor";
import { queryBoolean, queryLimit } from "@/lib/resource/query";
import { AppError } from "@/lib/errors";
import { isId } from "@/lib/ids";
import { vaultToWire } from "./vault-to-wire";

/**
 * `GET /v1/vaults`: the team's vaults, newest first, in pages of `limit` (default 20) with an
 * opaque cursor; `next_page` is null on the last page. Archived ones only with `include_archived=true`.
 */
export async function listVaults(prisma: PrismaClient, options: { teamId: string; query: URLSearchParams }) {
  const q = options.query;
  const limit = queryLimit(q);
  const includeArchived = queryBoolean(q, "include_archived");
  const page = q.get("page");
  const cursor = page ? decodeCursor(page) : null;
  if (cursor && (typeof cursor.id !== "string" || !isId("vault", cursor.id))) throw new AppError("invalid_request", "page: not a cursor returned by this API");
  const rows = await prisma.vault.findMany({
    where: { teamId: options.teamId, ...(includeArchived ? {} : { archivedAt: null }), ...(cursor ? { id: { lt: cursor.id as string } } : {}) },
    orderBy: { id: "desc" },
    take: limit + 1,
  });
  const items = rows.slice(0, limit);
  return { data: items.map(vaultToWire), next_page: rows.length > limit ? encodeCursor({ id: items.at(-1)!.id }) : null };
}
