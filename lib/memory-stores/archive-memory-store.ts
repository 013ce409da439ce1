import "server-only";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { withLockedMemoryStore } from "./find-team-memory-store";
import { memoryStoreToWire } from "./memory-store-to-wire";
import { recordWebhookEvent } from "@/lib/webhooks/record-webhook-event";

/**
 * `POST /v1/memory_stores/{id}/archive`: final. The store keeps its memories and history for
 * reading; memory deletes and version redaction still work; nothing new is written. Twice changes nothing.
 */
export async function archiveMemoryStore(prisma: PrismaClient, options: { teamId: string; storeId: string }) {
  return withLockedMemoryStore(prisma, options, async (tx, store) => {
    if (store.archivedAt) return memoryStoreToWire(store);
    await recordWebhookEvent(tx, { teamId: options.teamId, subjectId: store.id, type: "memory_store.archived" });
    return memoryStoreToWire(await tx.memoryStore.update({ where: { id: store.id }, data: { archivedAt: new Date() } }));
  });
}
