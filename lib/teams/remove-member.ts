import type { PrismaClient } from "@/lib/generated/prisma/client";
import { AppError } from "@/lib/errors";
import { assertTeamOwner } from "./assert-team-owner";

/**
 * Removes a member from the team. Owners may remove anyone; anyone may remove themselves (leave).
 * A team always keeps at least one owner: the owners' rows are locked first, so two owners removing
 * each other at once cannot both succeed.
 */
export async function removeMember(prisma: PrismaClient, options: { teamId: string; actorId: string; userId: string }): Promise<void> {
  await prisma.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT "userId" FROM "Membership" WHERE "teamId" = ${options.teamId} AND "role" = 'owner' FOR UPDATE`;
    const leaving = options.actorId === options.userId;
    if (!leaving) await assertTeamOwner(tx, { teamId: options.teamId, userId: options.actorId, action: "remove members" });
    const target = await tx.membership.findUnique({
      where: { teamId_userId: { teamId: options.teamId, userId: options.userId } },
      select: { role: true },
    });
    if (!target) throw new AppError("not_found", "This person is not a member of the team.");
    if (target.role === "owner") {
      const owners = await tx.membership.count({ where: { teamId: options.teamId, role: "owner" } });
      if (owners <= 1) {
        throw new AppError("conflict", leaving ? "You are the team's only owner: invite another owner before leaving." : "A team needs at least one owner: this is the last one.");
      }
    }
    await tx.membership.delete({ where: { teamId_userId: { teamId: options.teamId, userId: options.userId } } });
  });
}
