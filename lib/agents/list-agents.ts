import type { Prisma, PrismaClient } from "@/lib/generated/prisma/client";
import { decodeCursor, encodeCursor } from "@/lib/resource/cursor";
import { queryBoolean, queryLimit } from "@/lib/resource/query";
import { AppError } from "@/lib/errors";
import { isId } from "@/lib/ids";
import { agentToWire } from "./agent-to-wire";

/**
 * `GET /v1/agents`: the team's agents at their latest version, newest first (by id, which is by
 * creation time), in pages of `limit` (default 20) with an opaque cursor; `next_page` is null on
 * the last page. Archived agents only with `include_archived=true`; `created_at[gte]` and
 * `created_at[lte]` (RFC 3339, inclusive) bound the creation time.
 */
export async function listAgents(prisma: PrismaClient, options: { teamId: string; query: URLSearchParams }) {
  const q = options.query;
  const limit = queryLimit(q);
  const createdAt: Prisma.DateTimeFilter = {};
  const gte = timestamp(q, "created_at[gte]");
  const lte = timestamp(q, "created_at[lte]");
  if (gte) createdAt.gte = gte;
  if (lte) createdAt.lte = lte;
  const page = q.get("page");
  const cursor = page ? decodeCursor(page) : null;
  if (cursor && (typeof cursor.id !== "string" || !isId("agent", cursor.id))) throw new AppError("invalid_request", "page: not a cursor returned by this API");

  const rows = await prisma.agent.findMany({
    where: {
      teamId: options.teamId,
      ...(queryBoolean(q, "include_archived") ? {} : { archivedAt: null }),
      ...(gte || lte ? { createdAt } : {}),
      ...(cursor ? { id: { lt: cursor.id as string } } : {}),
    },
    orderBy: { id: "desc" },
    take: limit + 1,
  });
  const items = rows.slice(0, limit);
  const versions = items.length === 0 ? [] : await prisma.agentVersion.findMany({ where: { OR: items.map((a) => ({ agentId: a.id, version: a.currentVersion })) } });
  const byAgent = new Map(versions.map((v) => [v.agentId, v]));
  return {
    data: items.map((agent) => agentToWire(agent, byAgent.get(agent.id)!)),
    next_page: rows.length > limit ? encodeCursor({ id: items.at(-1)!.id }) : null,
  };
}

function timestamp(q: URLSearchParams, key: string): Date | undefined {
  const raw = q.get(key);
  if (raw === null || raw === "") return undefined;
  const ms = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i.test(raw) ? Date.parse(raw) : NaN;
  if (Number.isNaN(ms)) throw new AppError("invalid_request", `${key}: must be an RFC 3339 timestamp such as 2026-01-01T00:00:00Z`);
  return new Date(ms);
}
