/** The log and the work queue composed as `createHarness` composes them for the server. */
import type { Database } from "@/lib/db/open-database";
import { PrismaSessionStore } from "@/lib/event-log/prisma/prisma-session-store";
import type { SessionStore } from "@/lib/event-log/session-store";
import { claimOnWakeHooks } from "@/lib/harness/claim-on-wake";
import type { HarnessWorker } from "@/lib/harness/harness-worker";
import { PrismaWorkQueue, workQueueAppendHooks } from "@/lib/harness/prisma-work-queue";
import type { EventBus } from "@/lib/realtime/event-bus";
import { withPublishing } from "@/lib/realtime/publishing-session-store";

/** `worker`: the harness worker of this process, which takes the sessions its appends wake in those appends. */
export function composeHotPath(db: Database, bus: EventBus, worker: () => HarnessWorker | undefined): { store: SessionStore; queue: PrismaWorkQueue } {
  return {
    store: withPublishing(new PrismaSessionStore(db.prisma, db.sql, claimOnWakeHooks(workQueueAppendHooks, worker)), bus),
    queue: new PrismaWorkQueue(db.prisma, db.sql),
  };
}
