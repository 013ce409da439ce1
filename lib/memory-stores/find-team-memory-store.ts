import "server-only";
import type { MemoryStore, Prisma, PrismaClient } from "@/lib/generated/prisma/client";
import { isId } from "@/lib/ids";
import { memoryStoreArchived, memoryStoreNotFound } from "./memory-errors";

/** The team's memory store, or 404 (the same answer for an unknown id, a malformed one and another team's). */
export async function findTeamMemoryStore(prisma: Pick<PrismaClient, "memoryStore">, teamId: string, storeId: string): Promise<MemoryStore> {
  const store = isId("memoryStore", storeId) ? await prisma.memoryStore.findFirst({ where: { id: storeId, teamId } }) : null;
  if (!store) throw memoryStoreNotFound(storeId);
  return store;
}

/**
 * Runs `fn` in a transaction holding the team's store row locked (`SELECT … FOR UPDATE`): writes to
 * one store happen one at a time, so a precondition read and the write it guards see the same
 * memory (a stale one is a 409 with nothing written), path overlaps are checked against settled
 * paths, and versions get their `seq` in the order they commit. `writable`: refuse an archived store.
 */
export async function withLockedMemoryStore<T>(
  prisma: PrismaClient,
  options: { teamId: string; storeId: string; writable?: boolean },
  fn: (tx: Prisma.TransactionClient, store: MemoryStore) => Promise<T>,
): Promise<T> {
  if (!isId("memoryStore", options.storeId)) throw memoryStoreNotFound(options.storeId);
  return prisma.$transaction(async (tx) => {
    const locked = await tx.$queryRaw<{ id: string }[]>`SELECT "id" FROM "MemoryStore" WHERE "id" = ${options.storeId} AND "teamId" = ${options.teamId} FOR UPDATE`;
    if (locked.length === 0) throw memoryStoreNotFound(options.storeId);
    const store = await tx.memoryStore.findUniqueOrThrow({ where: { id: options.storeId } });
    if (options.writable && store.archivedAt) throw memoryStoreArchived(store.id);
    return fn(tx, store);
  });
}
