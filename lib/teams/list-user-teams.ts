import type { PrismaClient } from "@/lib/generated/prisma/client";
import { toTeamRole, type TTeamRole } from "./roles";

export type TUserTeam = { id: string; slug: string; name: string; role: TTeamRole };

/** The teams the user belongs to, in the order they joined them (their own team first). */
export async function listUserTeams(prisma: PrismaClient, options: { userId: string }): Promise<TUserTeam[]> {
  const rows = await prisma.membership.findMany({
    where: { userId: options.userId },
    orderBy: [{ createdAt: "asc" }, { teamId: "asc" }],
    select: { role: true, team: { select: { id: true, slug: true, name: true } } },
  });
  return rows.map((row) => ({ ...row.team, role: toTeamRole(row.role) }));
}
