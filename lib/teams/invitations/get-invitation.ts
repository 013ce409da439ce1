import type { PrismaClient } from "@/lib/generated/prisma/client";
import { toTeamRole, type TTeamRole } from "../roles";
import { invitationProblem, type TInvitationProblem } from "./invitation-error";
import { hashInvitationToken, INVITATION_TOKEN } from "./invitation-token";

export type TInvitationPreview =
  | { problem: null; team: { slug: string; name: string }; role: TTeamRole; invitedBy: string | null; expiresAt: Date }
  | { problem: TInvitationProblem };

/** What the holder of an invitation link may see before accepting it: the team, the role, who invited them. */
export async function getInvitation(prisma: PrismaClient, options: { token: string; now?: Date }): Promise<TInvitationPreview> {
  if (!INVITATION_TOKEN.test(options.token)) return { problem: "invalid" };
  const invitation = await prisma.invitation.findUnique({
    where: { tokenHash: hashInvitationToken(options.token) },
    select: { role: true, createdBy: true, expiresAt: true, acceptedAt: true, revokedAt: true, team: { select: { slug: true, name: true } } },
  });
  if (!invitation) return { problem: "invalid" };
  const problem = invitationProblem(invitation, options.now ?? new Date());
  if (problem) return { problem };
  const inviter = await prisma.user.findUnique({ where: { id: invitation.createdBy }, select: { name: true } });
  return { problem: null, team: invitation.team, role: toTeamRole(invitation.role), invitedBy: inviter?.name ?? null, expiresAt: invitation.expiresAt };
}
