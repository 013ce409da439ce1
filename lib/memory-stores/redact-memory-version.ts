import "server-only";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { AppError } from "@/lib/errors";
import { withLockedMemoryStore } from "./find-team-memory-store";
import { findStoreVersion } from "./get-memory-version";
import type { TMemoryActor } from "./memory-actor";
import { memoryVersionToWire } from "./memory-version-to-wire";

/**
 * `POST /v1/memory_stores/{id}/memory_versions/{version_id}/redact`: the version's content, path,
 * hash and size are erased for good; the row stays, saying when and by whom. Redacting twice
 * changes nothing. Allowed in an archived store. Refused (409) for the version that holds a live
 * memory's current content: erasing it would leave the memory without content — update or delete
 * the memory first, then redact the old version.
 */
export async function redactMemoryVersion(prisma: PrismaClient, options: { teamId: string; storeId: string; versionId: string; actor: TMemoryActor }) {
  return withLockedMemoryStore(prisma, options, async (tx, store) => {
    const version = await findStoreVersion(tx, store.id, options.versionId);
    if (version.redactedAt) return memoryVersionToWire(version, "full");
    const head = await tx.memory.findFirst({ where: { currentVersionId: version.id }, select: { id: true } });
    if (head) {
      throw new AppError("conflict", `memory version ${version.id} is the current content of memory ${head.id}: update or delete the memory first, then redact this version`);
    }
    const redacted = await tx.memoryVersion.update({
      where: { id: version.id },
      data: { content: null, path: null, contentSha256: null, contentSizeBytes: null, redactedAt: new Date(), redactedByType: options.actor.type, redactedById: options.actor.id },
    });
    return memoryVersionToWire(redacted, "full");
  });
}
