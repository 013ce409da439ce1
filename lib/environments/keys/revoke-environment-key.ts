import type { PrismaClient } from "@/lib/generated/prisma/client";
import { AppError } from "@/lib/errors";

/** Revokes a key of that environment (a team API key, or another environment's key, is not found here). */
export async function revokeEnvironmentKey(prisma: PrismaClient, options: { teamId: string; environmentId: string; id: string }): Promise<void> {
  const { count } = await prisma.apiKey.updateMany({
    where: { id: options.id, teamId: options.teamId, environmentId: options.environmentId, revokedAt: null },
    data: { revokedAt: new Date() },
  });
  if (count === 0) throw new AppError("not_found", `environment key ${options.id.slice(0, 128)} not found`);
}
