/** The log and the work queue composed as `createHarness` composes them for the server. */
import type { Database } from "@/lib/db/open-database";
import { PrismaSessionStore } from "@/lib/event-log/prisma/prisma-session-store";
import type { SessionStore } from "@/lib/event-log/session-store";
import { PrismaWorkQueue, workQueueAppendHooks } from "@/lib/harness/prisma-work-queue";
import type { EventBus } from "@/lib/realtime/event-bus";
import { withPublishing } from "@/lib/realtime/publishing-session-store";

export function composeHotPath(db: Database, bus: EventBus): { store: SessionStore; queue: PrismaWorkQueue } {
  return {
    store: withPublishing(new PrismaSessionStore(db.prisma, db.sql, workQueueAppendHooks), bus),
    queue: new PrismaWorkQueue(db.prisma, db.sql),
  };
}
