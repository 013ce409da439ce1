import "server-only";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { findTeamMemoryStore } from "./find-team-memory-store";
import { memoryStoreToWire } from "./memory-store-to-wire";

/** `GET /v1/memory_stores/{id}` (archived ones too: `archived_at` says so). */
export async function getMemoryStore(prisma: PrismaClient, options: { teamId: string; storeId: string }) {
  return memoryStoreToWire(await findTeamMemoryStore(prisma, options.teamId, options.storeId));
}
