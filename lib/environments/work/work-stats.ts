import type { PrismaClient } from "@/lib/generated/prisma/client";
import { databaseNow } from "./database-now";
import { findHostedEnvironment } from "./find-work";
import { DEFAULT_RECLAIM_OLDER_THAN_MS } from "./poll-work";

const POLLING_WINDOW_MS = 30_000;

/**
 * `GET /v1/environments/{id}/work/stats`: `depth` (queued items waiting for a poll), `pending`
 * (handed out by a poll in the last 5 s and not acknowledged), `oldest_queued_at` (of both) and
 * `workers_polling` (distinct `Anthropic-Worker-ID`s that polled in the last 30 s).
 */
export async function workStats(deps: { prisma: PrismaClient }, options: { teamId: string; environmentId: string }) {
  const env = await findHostedEnvironment(deps.prisma, options.teamId, options.environmentId);
  const now = (await databaseNow(deps.prisma)).getTime();
  const recent = new Date(now - DEFAULT_RECLAIM_OLDER_THAN_MS);
  const [pending, queued, oldest, workers] = await Promise.all([
    deps.prisma.environmentWork.count({ where: { environmentId: env.id, state: "queued", polledAt: { gte: recent } } }),
    deps.prisma.environmentWork.count({ where: { environmentId: env.id, state: "queued" } }),
    deps.prisma.environmentWork.findFirst({ where: { environmentId: env.id, state: "queued" }, orderBy: { createdAt: "asc" }, select: { createdAt: true } }),
    deps.prisma.environmentWorker.count({ where: { environmentId: env.id, lastPolledAt: { gte: new Date(now - POLLING_WINDOW_MS) } } }),
  ]);
  return {
    type: "work_queue_stats" as const,
    depth: queued - pending,
    pending,
    oldest_queued_at: oldest?.createdAt.toISOString() ?? null,
    workers_polling: workers,
  };
}
