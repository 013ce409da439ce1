import { AppError } from "@/lib/errors";

/** Why an invitation link cannot be used; `message` is written for the person holding the link. */
export type TInvitationProblem = "invalid" | "expired" | "revoked" | "used";

const MESSAGES: Record<TInvitationProblem, string> = {
  invalid: "This invitation link is not valid. Check that you copied all of it, or ask a team owner for a new one.",
  expired: "This invitation has expired. Ask a team owner for a new link.",
  revoked: "This invitation was withdrawn. Ask a team owner for a new link.",
  used: "This invitation has already been used. Ask a team owner for a new link.",
};

export class InvitationError extends AppError {
  constructor(readonly problem: TInvitationProblem) {
    super(problem === "invalid" ? "not_found" : "conflict", MESSAGES[problem], { problem });
    this.name = "InvitationError";
  }
}

/** What stands in the way of using an invitation, or null when it can be used at `now`. */
export function invitationProblem(invitation: { acceptedAt: Date | null; revokedAt: Date | null; expiresAt: Date }, now: Date): TInvitationProblem | null {
  if (invitation.revokedAt) return "revoked";
  if (invitation.acceptedAt) return "used";
  if (invitation.expiresAt.getTime() <= now.getTime()) return "expired";
  return null;
}

export function invitationProblemMessage(problem: TInvitationProblem): string {
  return MESSAGES[problem];
}
