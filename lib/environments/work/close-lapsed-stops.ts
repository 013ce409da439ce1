import type { PrismaClient } from "@/lib/generated/prisma/client";
import type { SessionStore } from "@/lib/event-log/session-store";
import { enqueueSessionWork } from "./enqueue-session-work";
import { sessionNeedsWorker } from "./session-needs-worker";
import type { TWorkSignal } from "./work-signal";

/**
 * Stops the items of an environment that were asked to stop gracefully (`stopping`) and whose
 * worker then went away: their lease ran out with no final `stop` from it. Such an item is not
 * claimable (a stop was asked for) and no worker will end it, so without this it would stay
 * `stopping` for ever and count as live, and its session could never get another item.
 *
 * Run by every poll of the environment, before it looks for work: the lapsed item is stopped (its
 * token dies with it), and when its session still waits for a worker a new item is queued, which
 * that same poll may then hand out. Each item is stopped by one conditional update, so two polls
 * at once stop it once.
 */
export async function closeLapsedStops(
  deps: { prisma: PrismaClient; store: SessionStore; signal?: TWorkSignal; ttlSeconds?: number },
  environmentId: string,
  now: Date,
): Promise<void> {
  const lapsed = await deps.prisma.environmentWork.findMany({
    where: { environmentId, state: "stopping", leaseExpiresAt: { lt: now } },
    select: { id: true, sessionId: true },
    take: 20,
  });
  for (const item of lapsed) {
    const { count } = await deps.prisma.environmentWork.updateMany({
      where: { id: item.id, state: "stopping", leaseExpiresAt: { lt: now } },
      data: { state: "stopped", stoppedAt: now, tokenHash: null, leaseExpiresAt: null },
    });
    if (count === 1 && (await sessionNeedsWorker(deps.store, item.sessionId, environmentId))) {
      await enqueueSessionWork({ prisma: deps.prisma, signal: deps.signal, ttlSeconds: deps.ttlSeconds }, { sessionId: item.sessionId, environmentId });
    }
  }
}
