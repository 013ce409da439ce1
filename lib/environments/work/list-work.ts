import type { PrismaClient } from "@/lib/generated/prisma/client";
import { AppError } from "@/lib/errors";
import { isId } from "@/lib/ids";
import { decodeCursor, encodeCursor } from "@/lib/resource/cursor";
import { queryLimit } from "@/lib/resource/query";
import { findHostedEnvironment } from "./find-work";
import { workToWire } from "./work-to-wire";

/** `GET /v1/environments/{id}/work`: the environment's work items, newest first, in pages of `limit` (default 20). */
export async function listWork(deps: { prisma: PrismaClient }, options: { teamId: string; environmentId: string; query: URLSearchParams }) {
  const limit = queryLimit(options.query);
  const page = options.query.get("page");
  const cursor = page ? decodeCursor(page) : null;
  if (cursor && (typeof cursor.id !== "string" || !isId("work", cursor.id))) throw new AppError("invalid_request", "page: not a cursor returned by this API");
  const env = await findHostedEnvironment(deps.prisma, options.teamId, options.environmentId);
  const rows = await deps.prisma.environmentWork.findMany({
    where: { environmentId: env.id, ...(cursor ? { id: { lt: cursor.id as string } } : {}) },
    orderBy: { id: "desc" },
    take: limit + 1,
  });
  const items = rows.slice(0, limit);
  return { data: items.map((row) => workToWire(row)), next_page: rows.length > limit ? encodeCursor({ id: items.at(-1)!.id }) : null };
}
