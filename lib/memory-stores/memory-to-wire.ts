import "server-only";
import type { Memory, MemoryVersion } from "@/lib/generated/prisma/client";
import type { TMemoryView } from "./schemas";

export type TMemoryWithHead = Memory & { currentVersion: Pick<MemoryVersion, "content" | "contentSha256" | "contentSizeBytes"> };

/**
 * The Memory object (reference §2.9): its content, hash and size are its current version's.
 * `view: "basic"` leaves `content` null (hash and size stay, so clients can tell a change).
 * The head version is never redacted (redact-memory-version.ts refuses it), so its fields are set.
 */
export function memoryToWire(memory: TMemoryWithHead, view: TMemoryView) {
  const head = memory.currentVersion;
  return {
    id: memory.id,
    type: "memory" as const,
    memory_store_id: memory.storeId,
    path: memory.path,
    content: view === "full" ? (head.content ?? "") : null,
    content_sha256: head.contentSha256 ?? "",
    content_size_bytes: head.contentSizeBytes ?? 0,
    memory_version_id: memory.currentVersionId,
    created_at: memory.createdAt.toISOString(),
    updated_at: memory.updatedAt.toISOString(),
  };
}

export type TWireMemory = ReturnType<typeof memoryToWire>;
