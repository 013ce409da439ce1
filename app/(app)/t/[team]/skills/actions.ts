"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { teamPath } from "@/lib/auth/current-team";
import { requireMembership } from "@/lib/auth/require-membership";
import { isId } from "@/lib/ids";
import { useCases } from "@/lib/server/root";
import { skillUploadOf, skillUploadRefusal, type TSkillUpload } from "@/lib/skills/ui/skill-folder-form";
import type { TFormState } from "@/components/forms/form-state";
import { refused, textValues } from "../../../form-results";

// The skills page's actions: an upload from the browser's folder picker is sent on to the API's own
// use-case as the same multipart body `POST /v1/skills` takes, so both check a folder alike.

const ZVersionIdSchema = z.object({ versionId: z.string().refine((id) => isId("skillVersion", id), { error: "This version no longer exists." }) });

const skillsPath = (slug: string, skillId?: string) => (skillId ? teamPath(slug, "skills", skillId) : teamPath(slug, "skills"));

/** The refusal shown by its field (the folder picker or the display name), or the form-wide answer to anything else. */
function refusedUpload(error: unknown, values: Record<string, string>): TFormState<never> {
  const refusal = skillUploadRefusal(error);
  return refusal ? { status: "error", fieldErrors: { [refusal.field]: refusal.message }, values } : refused(error, values);
}

/** The picked folder as the upload use-cases' input, or the form's answer when it cannot be one. */
function uploadOf(formData: FormData, displayName: boolean): TSkillUpload | TFormState<never> {
  const upload = skillUploadOf(formData, { displayName });
  return "field" in upload ? { status: "error", fieldErrors: { [upload.field]: upload.message }, values: textValues(formData, ["display_name"]) } : upload;
}

/** A new skill from a folder (any member): the same use-case and checks as `POST /v1/skills`. */
export async function uploadSkillAction(teamSlug: string, _previous: TFormState<null>, formData: FormData): Promise<TFormState<null>> {
  const { team } = await requireMembership(useCases(), teamSlug);
  const upload = uploadOf(formData, true);
  if ("status" in upload) return upload;
  let skillId: string;
  try {
    ({ id: skillId } = await useCases().skills.create({ teamId: team.id, ...upload }));
  } catch (error) {
    return refusedUpload(error, textValues(formData, ["display_name"]));
  }
  revalidatePath(skillsPath(team.slug));
  redirect(`${skillsPath(team.slug, skillId)}?created=1`);
}

/** A new version of the skill from a folder: `POST /v1/skills/{id}/versions`. */
export async function uploadSkillVersionAction(teamSlug: string, skillId: string, _previous: TFormState<null>, formData: FormData): Promise<TFormState<null>> {
  const { team } = await requireMembership(useCases(), teamSlug);
  const upload = uploadOf(formData, false);
  if ("status" in upload) return upload;
  try {
    await useCases().skills.createVersion({ teamId: team.id, skillId, ...upload });
  } catch (error) {
    return refusedUpload(error, {});
  }
  revalidatePath(skillsPath(team.slug), "layout");
  return { status: "success", data: null };
}

export async function deleteSkillVersionAction(teamSlug: string, skillId: string, _previous: TFormState<null>, formData: FormData): Promise<TFormState<null>> {
  const { team } = await requireMembership(useCases(), teamSlug);
  const parsed = ZVersionIdSchema.safeParse(textValues(formData, ["versionId"]));
  if (!parsed.success) return { status: "error", message: parsed.error.issues[0]!.message };
  try {
    await useCases().skills.deleteVersion({ teamId: team.id, skillId, version: parsed.data.versionId });
  } catch (error) {
    return refused(error);
  }
  revalidatePath(skillsPath(team.slug), "layout");
  return { status: "success", data: null };
}

/** Deletes the skill with every version, and goes back to the list. */
export async function deleteSkillAction(teamSlug: string, skillId: string): Promise<TFormState<null>> {
  const { team } = await requireMembership(useCases(), teamSlug);
  try {
    await useCases().skills.delete({ teamId: team.id, skillId });
  } catch (error) {
    return refused(error);
  }
  revalidatePath(skillsPath(team.slug), "layout");
  redirect(skillsPath(team.slug));
}
