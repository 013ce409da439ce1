import "server-only";
import { clockOf, type TDeploymentDeps } from "./deployment-deps";
import { deploymentToWire } from "./deployment-to-wire";
import { withLockedDeployment } from "./find-team-deployment";
import { recordWebhookEvent } from "@/lib/webhooks/record-webhook-event";

/**
 * `POST /v1/deployments/{id}/pause`: its schedule stops firing (`paused_reason: {type: "manual"}`);
 * manual runs still work. A deployment already paused (by hand or by a failed scheduled run) stays
 * as it is.
 */
export async function pauseDeployment(deps: TDeploymentDeps, options: { teamId: string; deploymentId: string }) {
  return withLockedDeployment(deps.prisma, { ...options, writable: true }, async (tx, deployment) => {
    if (deployment.pausedReason) return deploymentToWire(deployment, clockOf(deps));
    await recordWebhookEvent(tx, { teamId: options.teamId, subjectId: deployment.id, type: "deployment.paused", at: clockOf(deps) });
    return deploymentToWire(await tx.deployment.update({ where: { id: deployment.id }, data: { pausedReason: { type: "manual" }, updatedAt: clockOf(deps) } }), clockOf(deps));
  });
}
