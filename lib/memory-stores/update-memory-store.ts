import "server-only";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { applyMetadataPatch, metadataFromJson, parseBody } from "@/lib/resource/metadata";
import { withLockedMemoryStore } from "./find-team-memory-store";
import { memoryStoreToWire } from "./memory-store-to-wire";
import { ZMemoryStoreUpdateSchema } from "./schemas";

/**
 * `POST /v1/memory_stores/{id}`: a new name and/or description and/or a metadata patch (a string
 * upserts, null deletes, omitted keys are kept). An archived store refuses (400 `memory_store_archived`).
 * An update that changes nothing writes nothing.
 */
export async function updateMemoryStore(prisma: PrismaClient, options: { teamId: string; storeId: string; body: unknown }) {
  const input = parseBody(ZMemoryStoreUpdateSchema, options.body);
  return withLockedMemoryStore(prisma, { ...options, writable: true }, async (tx, store) => {
    const name = input.name ?? store.name;
    const description = input.description === undefined ? store.description : (input.description ?? "");
    const current = metadataFromJson(store.metadata);
    const metadata = applyMetadataPatch(current, input.metadata ?? {});
    if (name === store.name && description === store.description && JSON.stringify(metadata) === JSON.stringify(current)) return memoryStoreToWire(store);
    return memoryStoreToWire(await tx.memoryStore.update({ where: { id: store.id }, data: { name, description, metadata } }));
  });
}
