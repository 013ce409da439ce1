import type { PrismaClient } from "@/lib/generated/prisma/client";
import { toTeamRole, type TTeamRole } from "../roles";

export type TPendingInvitation = { id: string; role: TTeamRole; createdAt: Date; expiresAt: Date; expired: boolean; invitedBy: string | null };

/** The team's invitations that were neither accepted nor withdrawn, newest first; expired ones are flagged. */
export async function listInvitations(prisma: PrismaClient, options: { teamId: string; now?: Date }): Promise<TPendingInvitation[]> {
  const now = options.now ?? new Date();
  const rows = await prisma.invitation.findMany({
    where: { teamId: options.teamId, acceptedAt: null, revokedAt: null },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: 100,
    select: { id: true, role: true, createdAt: true, expiresAt: true, createdBy: true },
  });
  const inviterIds = [...new Set(rows.map((row) => row.createdBy))];
  const inviters = await prisma.user.findMany({ where: { id: { in: inviterIds } }, select: { id: true, name: true } });
  const names = new Map(inviters.map((user) => [user.id, user.name]));
  return rows.map((row) => ({
    id: row.id,
    role: toTeamRole(row.role),
    createdAt: row.createdAt,
    expiresAt: row.expiresAt,
    expired: row.expiresAt.getTime() <= now.getTime(),
    invitedBy: names.get(row.createdBy) ?? null,
  }));
}
