import "server-only";
import type { MemoryStore } from "@/lib/generated/prisma/client";
import { metadataFromJson } from "@/lib/resource/metadata";

/** The MemoryStore object of the Managed Agents API (reference §2.9). `description` is "" when unset. */
export function memoryStoreToWire(store: MemoryStore) {
  return {
    id: store.id,
    type: "memory_store" as const,
    name: store.name,
    description: store.description,
    metadata: metadataFromJson(store.metadata),
    created_at: store.createdAt.toISOString(),
    updated_at: store.updatedAt.toISOString(),
    archived_at: store.archivedAt?.toISOString() ?? null,
  };
}

export type TWireMemoryStore = ReturnType<typeof memoryStoreToWire>;
