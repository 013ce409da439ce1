import type { PrismaClient } from "@/lib/generated/prisma/client";
import { AppError } from "@/lib/errors";

/** Revokes a key of the team; requests with it are refused from then on. */
export async function revokeApiKey(prisma: PrismaClient, options: { teamId: string; id: string }): Promise<void> {
  const { count } = await prisma.apiKey.updateMany({ where: { id: options.id, teamId: options.teamId, revokedAt: null }, data: { revokedAt: new Date() } });
  if (count === 0) throw new AppError("not_found", `API key ${options.id} not found`);
}
