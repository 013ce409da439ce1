import "server-only";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { newId } from "@/lib/ids";
import { parseBody } from "@/lib/resource/metadata";
import { memoryStoreToWire } from "./memory-store-to-wire";
import { ZMemoryStoreCreateSchema } from "./schemas";
import { recordWebhookEvent } from "@/lib/webhooks/record-webhook-event";

/** `POST /v1/memory_stores`. */
export async function createMemoryStore(prisma: PrismaClient, options: { teamId: string; body: unknown }) {
  const input = parseBody(ZMemoryStoreCreateSchema, options.body);
  const id = newId("memoryStore");
  // the memory_store.created webhook commits with the store
  const [store] = await prisma.$transaction([
    prisma.memoryStore.create({ data: { id, teamId: options.teamId, name: input.name, description: input.description ?? "", metadata: input.metadata ?? {} } }),
    recordWebhookEvent(prisma, { teamId: options.teamId, subjectId: id, type: "memory_store.created" }),
  ]);
  return memoryStoreToWire(store);
}
