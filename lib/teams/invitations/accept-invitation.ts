import type { PrismaClient } from "@/lib/generated/prisma/client";
import { toTeamRole, type TTeamRole } from "../roles";
import { InvitationError, invitationProblem } from "./invitation-error";
import { hashInvitationToken, INVITATION_TOKEN } from "./invitation-token";

export type TAcceptedInvitation = { team: { id: string; slug: string; name: string }; role: TTeamRole; alreadyMember: boolean };

/**
 * Joins the signed-in user to the invitation's team with its role. A link works once: it is marked
 * used in the same transaction, by a conditional update, so two people accepting at once cannot both
 * get in. Someone who is already a member is let through without using up the link.
 * Throws `InvitationError` (invalid, expired, revoked, used).
 */
export async function acceptInvitation(prisma: PrismaClient, options: { token: string; userId: string; now?: Date }): Promise<TAcceptedInvitation> {
  if (!INVITATION_TOKEN.test(options.token)) throw new InvitationError("invalid");
  const now = options.now ?? new Date();
  return prisma.$transaction(async (tx) => {
    const invitation = await tx.invitation.findUnique({
      where: { tokenHash: hashInvitationToken(options.token) },
      select: { id: true, teamId: true, role: true, expiresAt: true, acceptedAt: true, revokedAt: true, team: { select: { id: true, slug: true, name: true } } },
    });
    if (!invitation) throw new InvitationError("invalid");
    const problem = invitationProblem(invitation, now);
    if (problem) throw new InvitationError(problem);

    const existing = await tx.membership.findUnique({
      where: { teamId_userId: { teamId: invitation.teamId, userId: options.userId } },
      select: { role: true },
    });
    if (existing) return { team: invitation.team, role: toTeamRole(existing.role), alreadyMember: true };

    const { count } = await tx.invitation.updateMany({
      where: { id: invitation.id, acceptedAt: null, revokedAt: null, expiresAt: { gt: now } },
      data: { acceptedAt: now, acceptedBy: options.userId },
    });
    if (count === 0) throw new InvitationError("used");
    const role = toTeamRole(invitation.role);
    await tx.membership.create({ data: { teamId: invitation.teamId, userId: options.userId, role } });
    return { team: invitation.team, role, alreadyMember: false };
  });
}
