import "server-only";
import { Prisma, type Deployment, type DeploymentRun } from "@/lib/generated/prisma/client";
import { newId } from "@/lib/ids";
import { dueTick } from "./cron-schedule";
import { clockOf } from "./deployment-deps";
import { executeDeploymentRun, type TRunDeps } from "./execute-deployment-run";
import { nextTickAfter, scheduleOf } from "./schedule-next";
import { recordWebhookEvent } from "@/lib/webhooks/record-webhook-event";

/** How many due deployments one pass claims at most (the next pass, a few seconds later, takes the rest). */
const BATCH = 50;

/** A run still without session or error this long after its claim was interrupted (its process died). */
const INTERRUPTED_AFTER_MS = 10 * 60_000;

/**
 * One pass of the scheduler: every active (not paused, not archived) scheduled deployment whose
 * next tick is due gets one run for it, whichever of many processes gets there first.
 *
 * Exactly once: the claim is a compare-and-set on the deployment's `scheduleNextAt` (an UPDATE …
 * WHERE "scheduleNextAt" = the value this pass read, which PostgreSQL re-checks after waiting on a
 * concurrent claim's row lock), and the run is inserted in the same transaction under the unique
 * (`deploymentId`, `scheduledAt`) with ON CONFLICT DO NOTHING. Two processes reading the same due
 * tick: one claims it, the other's UPDATE matches no row and it moves on.
 *
 * Catch-up: when several ticks fell while no process ran (downtime), only the most recent of them
 * runs, once; the older ones are skipped, not run in a burst. Ticks that fell while the deployment
 * was paused are skipped too (unpausing schedules from the next tick after it).
 *
 * The session is created after the claim commits (its creation is the session use-case's own
 * transaction). A process that dies between the two leaves a run with neither session nor error;
 * a later pass records it as interrupted (`unknown_error`) after ten minutes.
 */
export async function runDueDeployments(deps: TRunDeps): Promise<{ runs: DeploymentRun[] }> {
  const now = clockOf(deps);
  const due = await deps.prisma.deployment.findMany({
    where: { archivedAt: null, pausedReason: { equals: Prisma.DbNull }, scheduleNextAt: { lte: now } },
    orderBy: { scheduleNextAt: "asc" },
    take: BATCH,
  });
  const runs: DeploymentRun[] = [];
  for (const candidate of due) {
    const claimed = await claimTick(deps, candidate, now);
    if (claimed) runs.push(await executeDeploymentRun(deps, claimed.deployment, claimed.run));
  }
  await deps.prisma.deploymentRun.updateMany({
    where: { sessionId: null, error: { equals: Prisma.DbNull }, createdAt: { lt: new Date(now.getTime() - INTERRUPTED_AFTER_MS) } },
    data: { error: { type: "unknown_error", message: "the run was interrupted before its session was created" } },
  });
  return { runs };
}

/** Claims the deployment's due tick for this process, or null when another claimed it (or it changed) first. */
async function claimTick(deps: TRunDeps, candidate: Deployment, now: Date): Promise<{ deployment: Deployment; run: DeploymentRun } | null> {
  const schedule = scheduleOf(candidate);
  if (!schedule || !candidate.scheduleNextAt) return null;
  // the latest tick at or after the next one and at or before now (older missed ticks are skipped)
  const tick = dueTick(schedule, new Date(candidate.scheduleNextAt.getTime() - 1), now);
  if (!tick) return null;
  return deps.prisma.$transaction(async (tx) => {
    const moved = await tx.deployment.updateMany({
      where: { id: candidate.id, scheduleNextAt: candidate.scheduleNextAt, archivedAt: null, pausedReason: { equals: Prisma.DbNull } },
      data: { scheduleNextAt: nextTickAfter(schedule, tick), lastScheduledRunAt: now },
    });
    if (moved.count === 0) return null;
    const deployment = await tx.deployment.findUniqueOrThrow({ where: { id: candidate.id } });
    const id = newId("deploymentRun", now.getTime());
    const inserted = await tx.deploymentRun.createMany({
      data: [{ id, teamId: deployment.teamId, deploymentId: deployment.id, agent: deployment.agent ?? {}, triggerType: "schedule", scheduledAt: tick, createdAt: now }],
      skipDuplicates: true,
    });
    if (inserted.count === 0) return null;
    await recordWebhookEvent(tx, { teamId: deployment.teamId, subjectId: id, type: "deployment_run.started", at: now });
    return { deployment, run: await tx.deploymentRun.findUniqueOrThrow({ where: { id } }) };
  });
}
