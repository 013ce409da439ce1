import type { Environment, PrismaClient } from "@/lib/generated/prisma/client";
import { AppError } from "@/lib/errors";
import { isId } from "@/lib/ids";

/**
 * The team's environment, or 404 — the same answer for an unknown id, a malformed one and
 * another team's (ids are opaque to clients).
 */
export async function findTeamEnvironment(prisma: Pick<PrismaClient, "environment">, teamId: string, environmentId: string): Promise<Environment> {
  const env = isId("environment", environmentId) ? await prisma.environment.findFirst({ where: { id: environmentId, teamId } }) : null;
  if (!env) throw new AppError("not_found", `environment ${environmentId.slice(0, 128)} not found`);
  return env;
}
