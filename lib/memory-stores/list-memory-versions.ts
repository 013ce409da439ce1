import "server-only";
import type { Prisma, PrismaClient } from "@/lib/generated/prisma/client";
import { AppError } from "@/lib/errors";
import { decodeCursor, encodeCursor } from "@/lib/resource/cursor";
import { queryEnum } from "@/lib/resource/query";
import { findTeamMemoryStore } from "./find-team-memory-store";
import { memoryVersionToWire } from "./memory-version-to-wire";
import { queryCreatedAt } from "./query-time-range";
import { queryPageLimit, queryView } from "./query-view";

/** Actor filters of the list and the stored actor type each selects. */
const ACTOR_FILTERS = { api_key_id: "api_actor", session_id: "session_actor", service_account_id: "service_account_actor" } as const;

/**
 * `GET /v1/memory_stores/{id}/memory_versions`: the store's versions, newest first (by commit order),
 * redacted ones included (their content gone), filtered by `memory_id` (deleted memories too),
 * `operation`, who wrote them (`api_key_id`, `session_id`, `service_account_id`) and
 * `created_at[gte|lte]`. `view=basic` (default) leaves content null; `view=full` caps pages at 20.
 */
export async function listMemoryVersions(prisma: PrismaClient, options: { teamId: string; storeId: string; query: URLSearchParams }) {
  const q = options.query;
  const view = queryView(q, "basic");
  const limit = queryPageLimit(q, view);
  const page = q.get("page");
  const cursor = page ? decodeCursor(page) : null;
  if (cursor && typeof cursor.seq !== "number") throw new AppError("invalid_request", "page: not a cursor returned by this API");
  const store = await findTeamMemoryStore(prisma, options.teamId, options.storeId);
  const where: Prisma.MemoryVersionWhereInput = { storeId: store.id };
  const memoryId = q.get("memory_id");
  if (memoryId) where.memoryId = memoryId;
  const operation = q.get("operation") ? queryEnum(q, "operation", ["created", "modified", "deleted"], "created") : null;
  if (operation) where.operation = operation;
  for (const [key, type] of Object.entries(ACTOR_FILTERS)) {
    const id = q.get(key);
    if (id) Object.assign(where, { createdByType: type, createdById: id });
  }
  const createdAt = queryCreatedAt(q);
  if (createdAt) where.createdAt = createdAt;
  if (cursor) where.seq = { lt: cursor.seq as number };
  const rows = await prisma.memoryVersion.findMany({ where, orderBy: { seq: "desc" }, take: limit + 1 });
  const items = rows.slice(0, limit);
  return { data: items.map((v) => memoryVersionToWire(v, view)), next_page: rows.length > limit ? encodeCursor({ seq: items.at(-1)!.seq }) : null };
}
