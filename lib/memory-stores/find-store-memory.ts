import "server-only";
import type { Prisma } from "@/lib/generated/prisma/client";
import { isId } from "@/lib/ids";
import { memoryNotFound } from "./memory-errors";
import type { TMemoryWithHead } from "./memory-to-wire";

const HEAD = { currentVersion: { select: { content: true, contentSha256: true, contentSizeBytes: true } } } as const;

/** The store's memory with its current version, or 404 (another store's memory is not this store's). */
export async function findStoreMemory(prisma: Pick<Prisma.TransactionClient, "memory">, storeId: string, memoryId: string): Promise<TMemoryWithHead> {
  const memory = isId("memory", memoryId) ? await prisma.memory.findFirst({ where: { id: memoryId, storeId }, include: HEAD }) : null;
  if (!memory) throw memoryNotFound(memoryId);
  return memory;
}

export { HEAD as MEMORY_HEAD };
