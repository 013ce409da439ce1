import type { Prisma, PrismaClient } from "@/lib/generated/prisma/client";
import { decodeCursor, encodeCursor } from "@/lib/resource/cursor";
import { queryArray, queryBoolean, queryEnum, queryLimit } from "@/lib/resource/query";
import { AppError } from "@/lib/errors";
import { sessionFromRow } from "@/lib/event-log/prisma/rows";
import { sessionToWire } from "./session-to-wire";

const STATUSES = ["idle", "running", "rescheduling", "terminated"] as const;

/**
 * `GET /v1/sessions`, with the bidirectional page envelope `{data, next_page, prev_page}`. Sessions
 * are ordered by id, which is by creation (`order`, newest first by default). A cursor remembers
 * an id and a direction: `next_page` continues after the last item, `prev_page` goes back before
 * the first; each is null when there is nothing that way. `memory_store_id`: only sessions that
 * have that memory store among their resources.
 */
export async function listSessions(deps: { prisma: PrismaClient }, options: { teamId: string; query: URLSearchParams }) {
  const q = options.query;
  const limit = queryLimit(q);
  const order = queryEnum(q, "order", ["asc", "desc"] as const, "desc");
  const statuses = queryArray(q, "statuses");
  for (const status of statuses) {
    if (!(STATUSES as readonly string[]).includes(status)) throw new AppError("invalid_request", `statuses: must be among ${STATUSES.join(", ")}`);
  }
  const agentVersion = q.get("agent_version");
  if (agentVersion !== null && !/^\d{1,9}$/.test(agentVersion)) throw new AppError("invalid_request", "agent_version: must be a positive integer");

  const where: Prisma.SessionWhereInput = {
    teamId: options.teamId,
    ...(queryBoolean(q, "include_archived") ? {} : { archivedAt: null }),
    ...(q.get("agent_id") ? { agentId: q.get("agent_id")! } : {}),
    ...(agentVersion !== null ? { agentVersion: Number(agentVersion) } : {}),
    ...(statuses.length > 0 ? { status: { in: statuses } } : {}),
    // sessions that mount the store: JSON containment (`@>`) on the resources the session keeps
    ...(q.get("memory_store_id") ? { resources: { array_contains: [{ type: "memory_store", memory_store_id: q.get("memory_store_id")! }] } } : {}),
  };

  const page = q.get("page");
  const cursor = page ? decodeCursor(page) : null;
  if (cursor && (typeof cursor.id !== "string" || (cursor.dir !== "next" && cursor.dir !== "prev"))) {
    throw new AppError("invalid_request", "page: not a cursor returned by this API");
  }
  const backwards = cursor?.dir === "prev";
  // walking "next" follows `order`; walking "prev" goes the other way, then reverses the page
  const walk: "asc" | "desc" = backwards ? (order === "asc" ? "desc" : "asc") : order;
  const beyond = cursor ? (walk === "asc" ? { gt: cursor.id as string } : { lt: cursor.id as string }) : undefined;
  const rows = await deps.prisma.session.findMany({
    where: { ...where, ...(beyond ? { id: beyond } : {}) },
    orderBy: { id: walk },
    take: limit + 1,
  });
  const more = rows.length > limit;
  const items = rows.slice(0, limit);
  if (backwards) items.reverse();
  const first = items[0];
  const last = items.at(-1);
  const hasNext = backwards ? items.length > 0 : more;
  const hasPrev = backwards ? more : cursor !== null && items.length > 0;
  return {
    data: items.map((row) => sessionToWire(sessionFromRow(row))),
    next_page: hasNext && last ? encodeCursor({ id: last.id, dir: "next" }) : null,
    prev_page: hasPrev && first ? encodeCursor({ id: first.id, dir: "prev" }) : null,
  };
}
