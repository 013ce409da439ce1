import "server-only";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { findStoreMemory } from "./find-store-memory";
import { findTeamMemoryStore } from "./find-team-memory-store";
import { memoryToWire } from "./memory-to-wire";
import { queryView } from "./query-view";

/** `GET /v1/memory_stores/{id}/memories/{memory_id}`: with its content unless `view=basic`. */
export async function getMemory(prisma: PrismaClient, options: { teamId: string; storeId: string; memoryId: string; query?: URLSearchParams }) {
  const view = queryView(options.query ?? new URLSearchParams(), "full");
  const store = await findTeamMemoryStore(prisma, options.teamId, options.storeId);
  return memoryToWire(await findStoreMemory(prisma, store.id, options.memoryId), view);
}
