import type { PrismaClient } from "@/lib/generated/prisma/client";

export type TApiKeySummary = { id: string; name: string; hint: string; createdAt: Date; lastUsedAt: Date | null; createdBy: string | null };

/**
 * Active keys, newest first: what can be shown of them (never the key). The team's own API keys by
 * default; with `environmentId`, the environment keys of that one environment instead (they are
 * listed, and revoked, on its page, not among the team's keys).
 */
export async function listApiKeys(prisma: PrismaClient, options: { teamId: string; environmentId?: string }): Promise<TApiKeySummary[]> {
  const rows = await prisma.apiKey.findMany({
    where: { teamId: options.teamId, environmentId: options.environmentId ?? null, revokedAt: null },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    select: { id: true, name: true, hint: true, createdAt: true, lastUsedAt: true, createdBy: true },
  });
  const creatorIds = [...new Set(rows.flatMap((row) => (row.createdBy ? [row.createdBy] : [])))];
  const creators = await prisma.user.findMany({ where: { id: { in: creatorIds } }, select: { id: true, name: true } });
  const names = new Map(creators.map((user) => [user.id, user.name]));
  return rows.map((row) => ({ ...row, createdBy: row.createdBy ? (names.get(row.createdBy) ?? null) : null }));
}
