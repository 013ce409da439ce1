import "server-only";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { parseBody } from "@/lib/resource/metadata";
import { appendMemoryVersion } from "./append-memory-version";
import { assertPathFree } from "./find-path-conflict";
import { findStoreMemory } from "./find-store-memory";
import { withLockedMemoryStore } from "./find-team-memory-store";
import type { TMemoryActor } from "./memory-actor";
import { memoryPreconditionFailed } from "./memory-errors";
import { memoryToWire } from "./memory-to-wire";
import { queryView } from "./query-view";
import { ZMemoryUpdateSchema } from "./schemas";

/**
 * `POST /v1/memory_stores/{id}/memories/{memory_id}`: new content and/or a new path (a rename keeps
 * the id), written as a `modified` version. Optimistic concurrency: with `precondition.content_sha256`
 * the write applies only if the memory's content still has that hash — checked under the store's
 * lock, so of two writers who read the same content exactly one wins and the other gets 409
 * `memory_precondition_failed_error` with nothing written. As the API documents, a request whose
 * content and path the memory already has succeeds without a new version, whatever the hash.
 */
export async function updateMemory(
  prisma: PrismaClient,
  options: { teamId: string; storeId: string; memoryId: string; body: unknown; query?: URLSearchParams; actor: TMemoryActor },
) {
  const input = parseBody(ZMemoryUpdateSchema, options.body);
  const view = queryView(options.query ?? new URLSearchParams(), "basic");
  return withLockedMemoryStore(prisma, { ...options, writable: true }, async (tx, store) => {
    const memory = await findStoreMemory(tx, store.id, options.memoryId);
    const content = input.content ?? memory.currentVersion.content ?? "";
    const path = input.path ?? memory.path;
    if (content === memory.currentVersion.content && path === memory.path) return memoryToWire(memory, view);
    if (input.precondition && input.precondition.content_sha256 !== memory.currentVersion.contentSha256) throw memoryPreconditionFailed(memory.id);
    if (path !== memory.path) await assertPathFree(tx, { storeId: store.id, path, exceptMemoryId: memory.id });
    const version = await appendMemoryVersion(tx, { storeId: store.id, memoryId: memory.id, operation: "modified", path, content, actor: options.actor });
    const updated = await tx.memory.update({ where: { id: memory.id }, data: { path, currentVersionId: version.id } });
    return memoryToWire({ ...updated, currentVersion: version }, view);
  });
}
