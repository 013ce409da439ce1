/** The stores the harness benchmarks run on: a session store and a work queue sharing one database. */
import { InMemoryWorkQueue } from "@/lib/harness/in-memory-work-queue";
import { PrismaWorkQueue, workQueueAppendHooks } from "@/lib/harness/prisma-work-queue";
import type { WorkQueue } from "@/lib/harness/work-queue";
import { InMemorySessionStore } from "@/lib/event-log/in-memory-session-store";
import { PrismaSessionStore } from "@/lib/event-log/prisma/prisma-session-store";
import type { SessionStore } from "@/lib/event-log/session-store";
import { openTestDatabase } from "@/tests/fixtures/databases";
import { IN_MEMORY_PREREQS, seedSessionPrereqs, type TSessionPrereqs } from "@/tests/fixtures/seed";

export type TBackendKind = "memory" | "pglite" | "postgres";

export type TBackend = { name: string; store: SessionStore; queue: WorkQueue; prereqs: TSessionPrereqs; close(): Promise<void> };

export const BACKEND_NAMES: Record<TBackendKind, string> = {
  memory: "in-memory store",
  pglite: "PGlite (embedded)",
  postgres: "PostgreSQL",
};

/** The in-memory store and queue, or a freshly migrated PGlite (in memory) or scratch PostgreSQL database. */
export async function openBackend(kind: TBackendKind): Promise<TBackend> {
  if (kind === "memory") {
    const queue = new InMemoryWorkQueue();
    const store = new InMemorySessionStore({ workQueue: queue });
    return { name: BACKEND_NAMES[kind], store, queue, prereqs: IN_MEMORY_PREREQS, close: async () => {} };
  }
  const test = await openTestDatabase(kind);
  const prisma = test.db.prisma;
  return {
    name: BACKEND_NAMES[kind],
    // as the server composes them (createHarness): the log's and the queue's statements on the driver
    store: new PrismaSessionStore(prisma, test.db.sql, workQueueAppendHooks),
    queue: new PrismaWorkQueue(prisma, test.db.sql),
    prereqs: await seedSessionPrereqs(prisma),
    close: () => test.cleanup(),
  };
}
