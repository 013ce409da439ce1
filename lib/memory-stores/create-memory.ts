import "server-only";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { newId } from "@/lib/ids";
import { parseBody } from "@/lib/resource/metadata";
import { appendMemoryVersion } from "./append-memory-version";
import { assertPathFree } from "./find-path-conflict";
import { withLockedMemoryStore } from "./find-team-memory-store";
import type { TMemoryActor } from "./memory-actor";
import { memoryToWire } from "./memory-to-wire";
import { queryView } from "./query-view";
import { ZMemoryCreateSchema } from "./schemas";

/**
 * `POST /v1/memory_stores/{id}/memories`: a memory at a free path, and its `created` version, in one
 * transaction. A taken or overlapping path is a 409 `memory_path_conflict_error`; an archived store a 400.
 */
export async function createMemory(prisma: PrismaClient, options: { teamId: string; storeId: string; body: unknown; query?: URLSearchParams; actor: TMemoryActor }) {
  const input = parseBody(ZMemoryCreateSchema, options.body);
  const view = queryView(options.query ?? new URLSearchParams(), "basic");
  return withLockedMemoryStore(prisma, { ...options, writable: true }, async (tx, store) => {
    await assertPathFree(tx, { storeId: store.id, path: input.path });
    const memoryId = newId("memory");
    const version = await appendMemoryVersion(tx, { storeId: store.id, memoryId, operation: "created", path: input.path, content: input.content ?? "", actor: options.actor });
    const memory = await tx.memory.create({ data: { id: memoryId, storeId: store.id, path: input.path, currentVersionId: version.id } });
    return memoryToWire({ ...memory, currentVersion: version }, view);
  });
}
