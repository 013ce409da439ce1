import "server-only";
import type { Prisma, PrismaClient } from "@/lib/generated/prisma/client";
import { isId } from "@/lib/ids";
import { findTeamMemoryStore } from "./find-team-memory-store";
import { memoryVersionNotFound } from "./memory-errors";
import { memoryVersionToWire } from "./memory-version-to-wire";
import { queryView } from "./query-view";

/** The store's version, or 404. */
export async function findStoreVersion(prisma: Pick<Prisma.TransactionClient, "memoryVersion">, storeId: string, versionId: string) {
  const version = isId("memoryVersion", versionId) ? await prisma.memoryVersion.findFirst({ where: { id: versionId, storeId } }) : null;
  if (!version) throw memoryVersionNotFound(versionId);
  return version;
}

/** `GET /v1/memory_stores/{id}/memory_versions/{version_id}`: with its content unless `view=basic` (or redacted). */
export async function getMemoryVersion(prisma: PrismaClient, options: { teamId: string; storeId: string; versionId: string; query?: URLSearchParams }) {
  const view = queryView(options.query ?? new URLSearchParams(), "full");
  const store = await findTeamMemoryStore(prisma, options.teamId, options.storeId);
  return memoryVersionToWire(await findStoreVersion(prisma, store.id, options.versionId), view);
}
