import "server-only";
import type { MemoryVersion } from "@/lib/generated/prisma/client";
import { actorToWire } from "./memory-actor";
import type { TMemoryView } from "./schemas";

/**
 * The MemoryVersion object (reference §2.9). A redacted version keeps its row and says who
 * redacted it when, with content, path, hash and size null; a `deleted` version has no content.
 */
export function memoryVersionToWire(version: MemoryVersion, view: TMemoryView) {
  return {
    id: version.id,
    type: "memory_version" as const,
    memory_id: version.memoryId,
    memory_store_id: version.storeId,
    operation: version.operation as "created" | "modified" | "deleted",
    path: version.path,
    content: view === "full" ? version.content : null,
    content_sha256: version.contentSha256,
    content_size_bytes: version.contentSizeBytes,
    created_at: version.createdAt.toISOString(),
    created_by: actorToWire(version.createdByType, version.createdById),
    redacted_at: version.redactedAt?.toISOString() ?? null,
    redacted_by: actorToWire(version.redactedByType, version.redactedById),
  };
}

export type TWireMemoryVersion = ReturnType<typeof memoryVersionToWire>;
