import "server-only";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { newId } from "@/lib/ids";
import { parseBody } from "@/lib/resource/metadata";
import { memoryStoreToWire } from "./memory-store-to-wire";
import { ZMemoryStoreCreateSchema } from "./schemas";

/** `POST /v1/memory_stores`. */
export async function createMemoryStore(prisma: PrismaClient, options: { teamId: string; body: unknown }) {
  const input = parseBody(ZMemoryStoreCreateSchema, options.body);
  const store = await prisma.memoryStore.create({
    data: { id: newId("memoryStore"), teamId: options.teamId, name: input.name, description: input.description ?? "", metadata: input.metadata ?? {} },
  });
  return memoryStoreToWire(store);
}
