import "server-only";
import type { TEventActor } from "@/lib/event-log/events";
import { newId } from "@/lib/ids";
import { clockOf } from "./deployment-deps";
import { deploymentRunToWire } from "./deployment-run-to-wire";
import { deploymentArchived, findTeamDeployment } from "./find-team-deployment";
import { executeDeploymentRun, type TRunDeps } from "./execute-deployment-run";
import { recordWebhookEvent } from "@/lib/webhooks/record-webhook-event";

/**
 * `POST /v1/deployments/{id}/run`: a manual run, now, paused or not (an archived deployment
 * refuses). The answer is the run with its session, or with the error that kept the session from
 * being created (a 200 either way: the run happened and recorded its outcome).
 */
export async function runDeployment(deps: TRunDeps, options: { teamId: string; deploymentId: string; createdBy?: string | null; actor?: TEventActor }) {
  const deployment = await findTeamDeployment(deps.prisma, options.teamId, options.deploymentId);
  if (deployment.archivedAt) throw deploymentArchived(deployment.id);
  const now = clockOf(deps);
  const id = newId("deploymentRun", now.getTime());
  // the deployment_run.started webhook commits with the run
  const [run] = await deps.prisma.$transaction([
    deps.prisma.deploymentRun.create({ data: { id, teamId: deployment.teamId, deploymentId: deployment.id, agent: deployment.agent ?? {}, triggerType: "manual", createdAt: now } }),
    recordWebhookEvent(deps.prisma, { teamId: deployment.teamId, subjectId: id, type: "deployment_run.started", at: now }),
  ]);
  return deploymentRunToWire(await executeDeploymentRun(deps, deployment, run, options));
}
