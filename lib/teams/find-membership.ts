import type { PrismaClient } from "@/lib/generated/prisma/client";
import { toTeamRole, type TTeamRole } from "./roles";

export type TTeamSummary = { id: string; slug: string; name: string };
export type TMembership = { team: TTeamSummary; role: TTeamRole };

/** The user's membership of the team with this slug, or null when there is no such team or they are not in it. */
export async function findMembership(prisma: PrismaClient, options: { teamSlug: string; userId: string }): Promise<TMembership | null> {
  const row = await prisma.membership.findFirst({
    where: { userId: options.userId, team: { slug: options.teamSlug } },
    select: { role: true, team: { select: { id: true, slug: true, name: true } } },
  });
  return row ? { team: row.team, role: toTeamRole(row.role) } : null;
}
