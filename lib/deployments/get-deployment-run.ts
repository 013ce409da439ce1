import "server-only";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { AppError } from "@/lib/errors";
import { isId } from "@/lib/ids";
import { deploymentRunToWire } from "./deployment-run-to-wire";

/** `GET /v1/deployment_runs/{id}`; 404 for unknown, malformed and other teams' ids alike. */
export async function getDeploymentRun(prisma: PrismaClient, options: { teamId: string; runId: string }) {
  const run = isId("deploymentRun", options.runId) ? await prisma.deploymentRun.findFirst({ where: { id: options.runId, teamId: options.teamId } }) : null;
  if (!run) throw new AppError("not_found", `deployment run ${options.runId.slice(0, 128)} not found`);
  return deploymentRunToWire(run);
}
