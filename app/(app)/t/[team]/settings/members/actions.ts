"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { teamPath } from "@/lib/auth/current-team";
import { requireMembership } from "@/lib/auth/require-membership";
import { isId } from "@/lib/ids";
import { announceMemberRemoved } from "@/lib/realtime/member-removal";
import { useCases } from "@/lib/server/root";
import { TEAM_ROLES } from "@/lib/teams/roles";
import type { TFormState } from "@/components/forms/form-state";
import type { TInvitationLink } from "@/components/teams/invite-form";
import { invalidInput, refused, textValues } from "../../../../form-results";

const ZCreateInvitationSchema = z.object({ role: z.enum(TEAM_ROLES, { error: "Choose Member or Owner" }) });
const ZRevokeInvitationSchema = z.object({ invitationId: z.string().refine((id) => isId("invitation", id), { error: "This invitation no longer exists." }) });
const ZRemoveMemberSchema = z.object({ userId: z.string().refine((id) => isId("user", id), { error: "This person is not a member of the team." }) });

const membersPath = (slug: string) => teamPath(slug, "settings", "members");

/** Creates an invitation link (owners only: the use-case checks the role). */
export async function createInvitationAction(teamSlug: string, _previous: TFormState<TInvitationLink>, formData: FormData): Promise<TFormState<TInvitationLink>> {
  const { user, team } = await requireMembership(useCases(), teamSlug);
  const values = textValues(formData, ["role"]);
  const parsed = ZCreateInvitationSchema.safeParse(values);
  if (!parsed.success) return invalidInput(parsed.error, values);
  try {
    const invitation = await useCases().invitations.create({ teamId: team.id, actorId: user.id, role: parsed.data.role });
    revalidatePath(membersPath(team.slug));
    return { status: "success", data: { path: `/invite/${invitation.token}`, role: invitation.role, expiresAt: invitation.expiresAt.toISOString() } };
  } catch (error) {
    return refused(error, values);
  }
}

export async function revokeInvitationAction(teamSlug: string, _previous: TFormState<null>, formData: FormData): Promise<TFormState<null>> {
  const { user, team } = await requireMembership(useCases(), teamSlug);
  const parsed = ZRevokeInvitationSchema.safeParse(textValues(formData, ["invitationId"]));
  if (!parsed.success) return { status: "error", message: parsed.error.issues[0]!.message };
  try {
    await useCases().invitations.revoke({ teamId: team.id, actorId: user.id, invitationId: parsed.data.invitationId });
  } catch (error) {
    return refused(error);
  }
  revalidatePath(membersPath(team.slug));
  return { status: "success", data: null };
}

/** Removes a member (owners), or the signed-in user themselves (leave: then back to their teams). */
export async function removeMemberAction(teamSlug: string, _previous: TFormState<null>, formData: FormData): Promise<TFormState<null>> {
  const { user, team } = await requireMembership(useCases(), teamSlug);
  const parsed = ZRemoveMemberSchema.safeParse(textValues(formData, ["userId"]));
  if (!parsed.success) return { status: "error", message: parsed.error.issues[0]!.message };
  try {
    await useCases().members.remove({ teamId: team.id, actorId: user.id, userId: parsed.data.userId });
  } catch (error) {
    return refused(error);
  }
  // committed: the person stops watching the team's sessions now, not at their next join
  await announceMemberRemoved({ teamId: team.id, userId: parsed.data.userId });
  if (parsed.data.userId === user.id) redirect("/teams");
  revalidatePath(membersPath(team.slug));
  return { status: "success", data: null };
}
