import "server-only";
import { Prisma } from "@/lib/generated/prisma/client";
import { clockOf, type TDeploymentDeps } from "./deployment-deps";
import { deploymentToWire } from "./deployment-to-wire";
import { withLockedDeployment } from "./find-team-deployment";
import { nextTickAfter, scheduleOf } from "./schedule-next";
import { recordWebhookEvent } from "@/lib/webhooks/record-webhook-event";

/**
 * `POST /v1/deployments/{id}/unpause`: active again. Its schedule resumes from now: ticks that fell
 * while it was paused are skipped, not caught up. An active deployment stays as it is.
 */
export async function unpauseDeployment(deps: TDeploymentDeps, options: { teamId: string; deploymentId: string }) {
  const now = clockOf(deps);
  return withLockedDeployment(deps.prisma, { ...options, writable: true }, async (tx, deployment) => {
    if (!deployment.pausedReason) return deploymentToWire(deployment, now);
    await recordWebhookEvent(tx, { teamId: options.teamId, subjectId: deployment.id, type: "deployment.unpaused", at: now });
    const updated = await tx.deployment.update({
      where: { id: deployment.id },
      data: { pausedReason: Prisma.DbNull, scheduleNextAt: nextTickAfter(scheduleOf(deployment), now), updatedAt: now },
    });
    return deploymentToWire(updated, now);
  });
}
