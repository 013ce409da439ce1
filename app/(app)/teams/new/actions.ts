"use server";

import { redirect } from "next/navigation";
import { z } from "zod";
import { teamPath } from "@/lib/auth/current-team";
import { requireUser } from "@/lib/auth/require-user";
import { AppError } from "@/lib/errors";
import { useCases } from "@/lib/server/root";
import { TEAM_SLUG } from "@/lib/teams/team-slug";
import type { TFormState } from "@/components/forms/form-state";
import { invalidInput, refused, textValues } from "../../form-results";

const ZCreateTeamSchema = z.object({
  name: z.string().trim().min(1, { error: "Enter a name for the team" }).max(60, { error: "Use at most 60 characters" }),
  slug: z
    .string()
    .trim()
    .min(1, { error: "Choose a URL for the team" })
    .max(40, { error: "Use at most 40 characters" })
    .regex(TEAM_SLUG, { error: "Use lowercase letters, digits and dashes, not starting or ending with a dash" }),
});

/** Creates a team owned by the signed-in user and opens it. */
export async function createTeamAction(_previous: TFormState<null>, formData: FormData): Promise<TFormState<null>> {
  const user = await requireUser(useCases(), { returnTo: "/teams/new" });
  const values = textValues(formData, ["name", "slug"]);
  const parsed = ZCreateTeamSchema.safeParse(values);
  if (!parsed.success) return invalidInput(parsed.error, values);
  let slug: string;
  try {
    ({ slug } = await useCases().teams.create({ ...parsed.data, ownerId: user.id }));
  } catch (error) {
    if (error instanceof AppError && error.code === "conflict") {
      return { status: "error", fieldErrors: { slug: "This team URL is taken. Choose another one." }, values };
    }
    return refused(error, values);
  }
  redirect(teamPath(slug));
}
