import "server-only";
import { clockOf, type TDeploymentDeps } from "./deployment-deps";
import { deploymentToWire } from "./deployment-to-wire";
import { findTeamDeployment } from "./find-team-deployment";

/** `GET /v1/deployments/{id}` (archived ones too: `archived_at` says so). */
export async function getDeployment(deps: TDeploymentDeps, options: { teamId: string; deploymentId: string }) {
  return deploymentToWire(await findTeamDeployment(deps.prisma, options.teamId, options.deploymentId), clockOf(deps));
}
