import "server-only";
import { clockOf, type TDeploymentDeps } from "./deployment-deps";
import { deploymentToWire } from "./deployment-to-wire";
import { withLockedDeployment } from "./find-team-deployment";
import { recordWebhookEvent } from "@/lib/webhooks/record-webhook-event";

/**
 * `POST /v1/deployments/{id}/archive`: final. It stops running (scheduled or manual) and keeps its
 * runs for reading. Twice changes nothing.
 */
export async function archiveDeployment(deps: TDeploymentDeps, options: { teamId: string; deploymentId: string }) {
  const now = clockOf(deps);
  return withLockedDeployment(deps.prisma, options, async (tx, deployment) => {
    if (deployment.archivedAt) return deploymentToWire(deployment, now);
    await recordWebhookEvent(tx, { teamId: options.teamId, subjectId: deployment.id, type: "deployment.archived", at: now });
    return deploymentToWire(await tx.deployment.update({ where: { id: deployment.id }, data: { archivedAt: now, updatedAt: now } }), now);
  });
}
