import "server-only";
import { createHash } from "node:crypto";
import type { MemoryVersion, Prisma } from "@/lib/generated/prisma/client";
import { newId } from "@/lib/ids";
import type { TMemoryActor } from "./memory-actor";

/** Lowercase hex SHA-256 of the UTF-8 bytes: what clients compute for a `content_sha256` precondition. */
export function contentSha256(content: string): string {
  return createHash("sha256").update(content, "utf8").digest("hex");
}

/**
 * Appends one immutable version to a memory's history, inside the caller's transaction (which holds
 * the store's lock, find-team-memory-store.ts). `deleted` versions carry the path, no content.
 */
export function appendMemoryVersion(
  tx: Prisma.TransactionClient,
  options: { storeId: string; memoryId: string; operation: "created" | "modified" | "deleted"; path: string; content: string | null; actor: TMemoryActor },
): Promise<MemoryVersion> {
  const { content } = options;
  return tx.memoryVersion.create({
    data: {
      id: newId("memoryVersion"),
      storeId: options.storeId,
      memoryId: options.memoryId,
      operation: options.operation,
      path: options.path,
      content,
      contentSha256: content === null ? null : contentSha256(content),
      contentSizeBytes: content === null ? null : Buffer.byteLength(content, "utf8"),
      createdByType: options.actor.type,
      createdById: options.actor.id,
    },
  });
}
