import "server-only";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { AppError } from "@/lib/errors";
import { appendMemoryVersion } from "./append-memory-version";
import { findStoreMemory } from "./find-store-memory";
import { withLockedMemoryStore } from "./find-team-memory-store";
import type { TMemoryActor } from "./memory-actor";
import { memoryPreconditionFailed } from "./memory-errors";

/**
 * `DELETE /v1/memory_stores/{id}/memories/{memory_id}`: the memory is gone from the tree and a
 * `deleted` version closes its history (its earlier versions stay, listable by `memory_id`).
 * `expected_content_sha256` guards it like an update's precondition (409, nothing deleted).
 * Allowed in an archived store.
 */
export async function deleteMemory(prisma: PrismaClient, options: { teamId: string; storeId: string; memoryId: string; query?: URLSearchParams; actor: TMemoryActor }) {
  const expected = options.query?.get("expected_content_sha256") || null;
  if (expected !== null && !/^[0-9a-f]{64}$/.test(expected)) throw new AppError("invalid_request", "expected_content_sha256: must be 64 lowercase hexadecimal characters");
  return withLockedMemoryStore(prisma, options, async (tx, store) => {
    const memory = await findStoreMemory(tx, store.id, options.memoryId);
    if (expected !== null && expected !== memory.currentVersion.contentSha256) throw memoryPreconditionFailed(memory.id);
    await appendMemoryVersion(tx, { storeId: store.id, memoryId: memory.id, operation: "deleted", path: memory.path, content: null, actor: options.actor });
    await tx.memory.delete({ where: { id: memory.id } });
    return { id: memory.id, type: "memory_deleted" as const };
  });
}
