import "server-only";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { AppError } from "@/lib/errors";
import { decodeCursor, encodeCursor } from "@/lib/resource/cursor";
import { underPrefix } from "./find-path-conflict";
import { MEMORY_HEAD } from "./find-store-memory";
import { findTeamMemoryStore } from "./find-team-memory-store";
import { memoryToWire, type TWireMemory } from "./memory-to-wire";
import { queryPageLimit, queryView } from "./query-view";
import { MEMORY_LIMITS, pathPrefixProblem } from "./schemas";

type TListItem = TWireMemory | { type: "memory_prefix"; path: string };
/** Where the next page starts: after a memory's path, or at the end of a rolled-up prefix's range. */
type TPosition = { gt: string } | { gte: string };

/**
 * `GET /v1/memory_stores/{id}/memories`: the store's memories in path order (byte order), under
 * `path_prefix` (default `/`; must end with `/` and matches whole segments). `depth` 0 (default)
 * lists every memory below the prefix; `depth` n lists those at most n segments below it and rolls
 * each deeper directory up into one `memory_prefix` item (`/projects/foo/`), which counts toward
 * `limit` like a memory. `view=basic` (default) leaves content null; `view=full` caps pages at 20.
 */
export async function listMemories(prisma: PrismaClient, options: { teamId: string; storeId: string; query: URLSearchParams }) {
  const q = options.query;
  const view = queryView(q, "basic");
  const limit = queryPageLimit(q, view);
  const prefix = q.get("path_prefix") || "/";
  const prefixProblem = pathPrefixProblem(prefix);
  if (prefixProblem) throw new AppError("invalid_request", `path_prefix: ${prefixProblem}`);
  const depth = queryDepth(q);
  const page = q.get("page");
  let position = page ? positionOf(decodeCursor(page)) : null;
  const store = await findTeamMemoryStore(prisma, options.teamId, options.storeId);
  const range = underPrefix(prefix);

  const items: TListItem[] = [];
  const ends: TPosition[] = [];
  // Each round reads on from `position`; a rolled-up directory ends the round, and the next one
  // starts past its whole range (so a directory with thousands of memories costs one marker).
  for (let more = true; more && items.length <= limit; ) {
    const take = limit + 1 - items.length;
    const rows = await prisma.memory.findMany({
      // both bounds apply: a cursor never widens the prefix's range
      where: { storeId: store.id, AND: [{ path: range }, ...(position ? [{ path: position }] : [])] },
      orderBy: { path: "asc" },
      take,
      include: MEMORY_HEAD,
    });
    more = rows.length === take;
    for (const row of rows) {
      const below = row.path.slice(prefix.length).split("/");
      if (depth === 0 || below.length <= depth) {
        items.push(memoryToWire(row, view));
        position = { gt: row.path };
      } else {
        const dir = `${prefix}${below.slice(0, depth).join("/")}/`;
        items.push({ type: "memory_prefix", path: dir });
        position = { gte: underPrefix(dir).lt };
      }
      ends.push(position);
      if ("gte" in position) {
        more = true;
        break;
      }
    }
  }
  const data = items.slice(0, limit);
  return { data, next_page: items.length > limit ? encodeCursor(ends[limit - 1] as Record<string, string>) : null };
}

function queryDepth(q: URLSearchParams): number {
  const raw = q.get("depth");
  if (raw === null || raw === "") return 0;
  if (!/^\d+$/.test(raw) || Number(raw) > MEMORY_LIMITS.pathSegments) throw new AppError("invalid_request", `depth: must be an integer between 0 and ${MEMORY_LIMITS.pathSegments}`);
  return Number(raw);
}

function positionOf(cursor: Record<string, unknown>): TPosition {
  if (typeof cursor.gt === "string") return { gt: cursor.gt };
  if (typeof cursor.gte === "string") return { gte: cursor.gte };
  throw new AppError("invalid_request", "page: not a cursor returned by this API");
}
