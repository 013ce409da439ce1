import "server-only";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { withLockedMemoryStore } from "./find-team-memory-store";
import { recordWebhookEvent } from "@/lib/webhooks/record-webhook-event";

/** `DELETE /v1/memory_stores/{id}`: the store, its memories and every version are gone. */
export async function deleteMemoryStore(prisma: PrismaClient, options: { teamId: string; storeId: string }) {
  return withLockedMemoryStore(prisma, options, async (tx, store) => {
    await tx.memory.deleteMany({ where: { storeId: store.id } });
    await tx.memoryVersion.deleteMany({ where: { storeId: store.id } });
    await tx.memoryStore.delete({ where: { id: store.id } });
    await recordWebhookEvent(tx, { teamId: options.teamId, subjectId: store.id, type: "memory_store.deleted" });
    return { id: store.id, type: "memory_store_deleted" as const };
  });
}
