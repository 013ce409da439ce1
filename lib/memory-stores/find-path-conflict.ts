import "server-only";
import type { Prisma } from "@/lib/generated/prisma/client";
import { memoryPathConflict } from "./memory-errors";

/**
 * The paths strictly below `prefix` (which ends with `/`) as one byte range: the path column is
 * COLLATE "C" (see the migration), so every path starting with `/a/` sorts in [`/a/`, `/a0`),
 * `0` being the byte after `/`. Ranges avoid LIKE, whose `%` and `_` a path may contain.
 */
export function underPrefix(prefix: string): { gte: string; lt: string } {
  return { gte: prefix, lt: `${prefix.slice(0, -1)}0` };
}

/**
 * Throws 409 `memory_path_conflict_error` when `path` is taken in the store or overlaps another
 * memory's path (one an ancestor of the other: `/notes` and `/notes/todo.md`), since a store is
 * mounted as a file tree where a path cannot be both a file and a directory. `exceptMemoryId`: the
 * memory being renamed. Runs under the store's lock, so the answer holds until the write commits.
 */
export async function assertPathFree(tx: Prisma.TransactionClient, options: { storeId: string; path: string; exceptMemoryId?: string }): Promise<void> {
  const { storeId, path } = options;
  const segments = path.split("/").slice(1);
  const ancestors = segments.slice(0, -1).map((_, i) => `/${segments.slice(0, i + 1).join("/")}`);
  const hit = await tx.memory.findFirst({
    where: {
      storeId,
      ...(options.exceptMemoryId ? { id: { not: options.exceptMemoryId } } : {}),
      OR: [{ path }, ...(ancestors.length ? [{ path: { in: ancestors } }] : []), { path: underPrefix(`${path}/`) }],
    },
    select: { id: true, path: true },
  });
  if (hit) throw memoryPathConflict(path, hit);
}
