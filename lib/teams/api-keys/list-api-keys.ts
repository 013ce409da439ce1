import type { PrismaClient } from "@/lib/generated/prisma/client";

export type TApiKeySummary = { id: string; name: string; hint: string; createdAt: Date; lastUsedAt: Date | null; createdBy: string | null };

/** The team's active keys, newest first: what can be shown of them (never the key). */
export async function listApiKeys(prisma: PrismaClient, options: { teamId: string }): Promise<TApiKeySummary[]> {
  const rows = await prisma.apiKey.findMany({
    where: { teamId: options.teamId, revokedAt: null },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    select: { id: true, name: true, hint: true, createdAt: true, lastUsedAt: true, createdBy: true },
  });
  const creatorIds = [...new Set(rows.flatMap((row) => (row.createdBy ? [row.createdBy] : [])))];
  const creators = await prisma.user.findMany({ where: { id: { in: creatorIds } }, select: { id: true, name: true } });
  const names = new Map(creators.map((user) => [user.id, user.name]));
  return rows.map((row) => ({ ...row, createdBy: row.createdBy ? (names.get(row.createdBy) ?? null) : null }));
}
