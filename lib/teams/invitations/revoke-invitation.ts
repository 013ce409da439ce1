import type { PrismaClient } from "@/lib/generated/prisma/client";
import { AppError } from "@/lib/errors";
import { assertTeamOwner } from "../assert-team-owner";

/** Withdraws a pending invitation of the team (owners only); its link stops working at once. */
export async function revokeInvitation(prisma: PrismaClient, options: { teamId: string; actorId: string; invitationId: string; now?: Date }): Promise<void> {
  await prisma.$transaction(async (tx) => {
    await assertTeamOwner(tx, { teamId: options.teamId, userId: options.actorId, action: "withdraw invitations" });
    const { count } = await tx.invitation.updateMany({
      where: { id: options.invitationId, teamId: options.teamId, acceptedAt: null, revokedAt: null },
      data: { revokedAt: options.now ?? new Date() },
    });
    if (count === 0) throw new AppError("not_found", "This invitation is no longer pending.");
  });
}
