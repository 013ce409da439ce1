import type { PrismaClient } from "@/lib/generated/prisma/client";

/**
 * How many active (not archived) credentials each of the team's listed vaults holds, for the vaults
 * list. Vaults of other teams, and ids that are no vault, count nothing.
 */
export async function countVaultCredentials(prisma: PrismaClient, options: { teamId: string; vaultIds: string[] }): Promise<Map<string, number>> {
  const counts = new Map(options.vaultIds.map((id) => [id, 0]));
  if (options.vaultIds.length === 0) return counts;
  const groups = await prisma.credential.groupBy({
    by: ["vaultId"],
    where: { vaultId: { in: options.vaultIds }, archivedAt: null, vault: { teamId: options.teamId } },
    _count: { _all: true },
  });
  for (const group of groups) counts.set(group.vaultId, group._count._all);
  return counts;
}
