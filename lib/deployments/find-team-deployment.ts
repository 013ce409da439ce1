import "server-only";
import type { Deployment, Prisma, PrismaClient } from "@/lib/generated/prisma/client";
import { AppError } from "@/lib/errors";
import { isId } from "@/lib/ids";

/** 404 for a deployment: one answer for unknown, malformed and other teams' ids. */
export function deploymentNotFound(id: string): AppError {
  return new AppError("not_found", `deployment ${id.slice(0, 128)} not found`);
}

/** The team's deployment (archived ones too), or 404. */
export async function findTeamDeployment(prisma: Pick<PrismaClient, "deployment">, teamId: string, deploymentId: string): Promise<Deployment> {
  const deployment = isId("deployment", deploymentId) ? await prisma.deployment.findFirst({ where: { id: deploymentId, teamId } }) : null;
  if (!deployment) throw deploymentNotFound(deploymentId);
  return deployment;
}

/** 400 for a change to an archived deployment (archiving is final: it can be read, not changed or run). */
export function deploymentArchived(id: string): AppError {
  return new AppError("invalid_request", `deployment ${id} is archived: it can be read, not changed or run`, { errorCode: "deployment_archived" });
}

/**
 * Runs `fn` in a transaction holding the team's deployment row locked (`SELECT … FOR UPDATE`), so
 * a change and the scheduler's compare-and-set on the same row happen one after the other.
 * `writable`: refuse an archived deployment.
 */
export async function withLockedDeployment<T>(
  prisma: PrismaClient,
  options: { teamId: string; deploymentId: string; writable?: boolean },
  fn: (tx: Prisma.TransactionClient, deployment: Deployment) => Promise<T>,
): Promise<T> {
  if (!isId("deployment", options.deploymentId)) throw deploymentNotFound(options.deploymentId);
  return prisma.$transaction(async (tx) => {
    const locked = await tx.$queryRaw<{ id: string }[]>`SELECT "id" FROM "Deployment" WHERE "id" = ${options.deploymentId} AND "teamId" = ${options.teamId} FOR UPDATE`;
    if (locked.length === 0) throw deploymentNotFound(options.deploymentId);
    const deployment = await tx.deployment.findUniqueOrThrow({ where: { id: options.deploymentId } });
    if (options.writable && deployment.archivedAt) throw deploymentArchived(deployment.id);
    return fn(tx, deployment);
  });
}
