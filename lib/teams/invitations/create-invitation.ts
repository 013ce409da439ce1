import type { PrismaClient } from "@/lib/generated/prisma/client";
import { newId } from "@/lib/ids";
import { assertTeamOwner } from "../assert-team-owner";
import type { TTeamRole } from "../roles";
import { hashInvitationToken, INVITATION_TTL_MS, newInvitationToken } from "./invitation-token";

export type TCreatedInvitation = { id: string; token: string; role: TTeamRole; expiresAt: Date };

/**
 * Creates an invitation link to the team (owners only). The token is returned once, here: only its
 * SHA-256 is stored, so a lost link cannot be shown again — revoke it and make a new one.
 */
export async function createInvitation(
  prisma: PrismaClient,
  options: { teamId: string; actorId: string; role: TTeamRole; now?: Date },
): Promise<TCreatedInvitation> {
  const now = options.now ?? new Date();
  const token = newInvitationToken();
  const expiresAt = new Date(now.getTime() + INVITATION_TTL_MS);
  const id = newId("invitation");
  await prisma.$transaction(async (tx) => {
    await assertTeamOwner(tx, { teamId: options.teamId, userId: options.actorId, action: "invite people" });
    await tx.invitation.create({
      data: { id, teamId: options.teamId, tokenHash: hashInvitationToken(token), role: options.role, createdBy: options.actorId, createdAt: now, expiresAt },
    });
  });
  return { id, token, role: options.role, expiresAt };
}
