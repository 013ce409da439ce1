import type { EnvironmentWork, PrismaClient } from "@/lib/generated/prisma/client";
import type { SessionStore } from "@/lib/event-log/session-store";
import { closeLapsedStops } from "./close-lapsed-stops";
import { databaseNow } from "./database-now";
import { findHostedEnvironment } from "./find-work";
import { queryInt } from "./query-int";
import { workToWire, type TWireWork } from "./work-to-wire";
import { encodeWorkSecret, hashWorkToken, newWorkToken } from "./work-token";
import type { TWorkSignal } from "./work-signal";

export const MAX_BLOCK_MS = 999;
export const DEFAULT_RECLAIM_OLDER_THAN_MS = 5_000;
const MAX_RECLAIM_OLDER_THAN_MS = 24 * 3600_000;

/**
 * `GET /v1/environments/{id}/work/poll`: hands the oldest claimable item of the team's self-hosted
 * environment to the calling worker, with a fresh session token in its `secret`, or answers null
 * when there is none within `block_ms` (1–999; absent: do not wait). Claimable: queued and not
 * handed out in the last `reclaim_older_than_ms` (default 5000; an item polled but never acked goes
 * back after that), or acknowledged but with its lease run out (its worker stopped heartbeating;
 * the new token ends the old one's). A `stopping` item whose worker went away is stopped first
 * (`closeLapsedStops`). `Anthropic-Worker-ID` names the worker: the item is then its
 * own (ack and heartbeat from another id are refused) and the stats count it as polling.
 *
 * Decision: the wait is not a loop of queries: the poll sleeps on the environment's signal
 * (`TWorkSignal`, over the event bus), looking at the queue again at most every 250 ms in case a
 * signal from another process was lost. A claim is one conditional update per candidate (the row
 * as it was read must still be so), so two polls never get the same item.
 */
export async function pollWork(
  deps: { prisma: PrismaClient; store: SessionStore; signal: TWorkSignal; ttlSeconds?: number },
  options: { teamId: string; environmentId: string; query: URLSearchParams; workerId: string | null; abort?: AbortSignal },
): Promise<TWireWork | null> {
  const blockMs = queryInt(options.query, "block_ms", 1, MAX_BLOCK_MS) ?? 0;
  const reclaimMs = queryInt(options.query, "reclaim_older_than_ms", 0, MAX_RECLAIM_OLDER_THAN_MS) ?? DEFAULT_RECLAIM_OLDER_THAN_MS;
  const env = await findHostedEnvironment(deps.prisma, options.teamId, options.environmentId);
  const polledAt = await databaseNow(deps.prisma);
  if (options.workerId) {
    const key = { environmentId: env.id, workerId: options.workerId };
    await deps.prisma.environmentWorker.upsert({ where: { environmentId_workerId: key }, create: { ...key, lastPolledAt: polledAt }, update: { lastPolledAt: polledAt } });
  }
  await closeLapsedStops(deps, env.id, polledAt);
  const deadline = Date.now() + blockMs;
  for (;;) {
    const claimed = await claimNext(deps.prisma, env.id, reclaimMs, options.workerId);
    if (claimed) return workToWire(claimed.row, encodeWorkSecret(claimed.token));
    const left = deadline - Date.now();
    if (left <= 0 || options.abort?.aborted) return null;
    await deps.signal.wait(env.id, left, options.abort);
  }
}

async function claimNext(prisma: PrismaClient, environmentId: string, reclaimMs: number, workerId: string | null): Promise<{ row: EnvironmentWork; token: string } | null> {
  const now = await databaseNow(prisma);
  const candidates = await prisma.environmentWork.findMany({
    where: {
      environmentId,
      OR: [
        { state: "queued", OR: [{ polledAt: null }, { polledAt: { lt: new Date(now.getTime() - reclaimMs) } }] },
        { state: { in: ["starting", "active"] }, leaseExpiresAt: { lt: now } },
      ],
    },
    orderBy: { createdAt: "asc" },
    take: 5,
    select: { id: true, state: true, polledAt: true, leaseExpiresAt: true },
  });
  for (const candidate of candidates) {
    const token = newWorkToken();
    const { count } = await prisma.environmentWork.updateMany({
      where: { id: candidate.id, state: candidate.state, polledAt: candidate.polledAt, leaseExpiresAt: candidate.leaseExpiresAt },
      data: {
        state: "queued",
        workerId,
        polledAt: now,
        tokenHash: hashWorkToken(token),
        acknowledgedAt: null,
        startedAt: null,
        latestHeartbeatAt: null,
        previousHeartbeatAt: null,
        leaseExpiresAt: null,
      },
    });
    if (count === 1) {
      const row = await prisma.environmentWork.findUnique({ where: { id: candidate.id } });
      if (row) return { row, token };
    }
  }
  return null;
}
