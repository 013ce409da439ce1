"use server";

import { redirect } from "next/navigation";
import { teamPath } from "@/lib/auth/current-team";
import { requireUser } from "@/lib/auth/require-user";
import { useCases } from "@/lib/server/root";
import type { TFormState } from "@/components/forms/form-state";
import { refused } from "../../form-results";

/** Joins the signed-in user to the team of the invitation, then opens the team. */
export async function acceptInvitationAction(token: string, _previous: TFormState<null>, _formData: FormData): Promise<TFormState<null>> {
  const user = await requireUser(useCases(), { returnTo: `/invite/${encodeURIComponent(token)}` });
  let slug: string;
  try {
    ({ team: { slug } } = await useCases().invitations.accept({ token, userId: user.id }));
  } catch (error) {
    return refused(error);
  }
  redirect(teamPath(slug));
}
