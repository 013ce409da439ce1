import type { PrismaClient } from "@/lib/generated/prisma/client";
import { AppError } from "@/lib/errors";
import { createApiKey } from "@/lib/teams/api-keys/create-api-key";
import { findHostedEnvironment } from "@/lib/environments/work/find-work";

/**
 * An environment key for one of the team's self-hosted environments: its workers poll that
 * environment's work queue with it, and it authorizes nothing else. Refused for a cloud
 * environment (it has no work queue) and for an archived one (no new sessions can use it). The key
 * itself is returned once, here.
 */
export async function createEnvironmentKey(
  prisma: PrismaClient,
  options: { teamId: string; environmentId: string; name: string; createdBy?: string },
): Promise<{ id: string; key: string; hint: string }> {
  const environment = await findHostedEnvironment(prisma, options.teamId, options.environmentId);
  if (environment.archivedAt) throw new AppError("invalid_request", `environment ${environment.id} is archived: it cannot be given new keys`);
  return createApiKey(prisma, { teamId: options.teamId, name: options.name, createdBy: options.createdBy, environmentId: environment.id });
}
