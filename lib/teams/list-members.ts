import type { PrismaClient } from "@/lib/generated/prisma/client";
import { toTeamRole, type TTeamRole } from "./roles";

export type TTeamMember = { userId: string; name: string; email: string; role: TTeamRole; joinedAt: Date };

/** The team's members: owners first, then by when they joined. */
export async function listMembers(prisma: PrismaClient, options: { teamId: string }): Promise<TTeamMember[]> {
  const rows = await prisma.membership.findMany({
    where: { teamId: options.teamId },
    orderBy: [{ createdAt: "asc" }, { userId: "asc" }],
    select: { role: true, createdAt: true, user: { select: { id: true, name: true, email: true } } },
  });
  const members = rows.map((row) => ({
    userId: row.user.id,
    name: row.user.name,
    email: row.user.email,
    role: toTeamRole(row.role),
    joinedAt: row.createdAt,
  }));
  return [...members.filter((m) => m.role === "owner"), ...members.filter((m) => m.role !== "owner")];
}
