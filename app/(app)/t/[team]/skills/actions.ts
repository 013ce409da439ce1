"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { teamPath } from "@/lib/auth/current-team";
import { requireMembership } from "@/lib/auth/require-membership";
import { AppError } from "@/lib/errors";
import { isId } from "@/lib/ids";
import { useCases } from "@/lib/server/root";
import type { TFormState } from "@/components/forms/form-state";
import { refused, textValues } from "../../../form-results";

// The skills page's actions: an upload from the browser's folder picker is sent on to the API's own
// use-case as the same multipart body `POST /v1/skills` takes, so both check a folder alike.

/** The folder as the browser sends it: the picked files and, in the same order, their paths (`webkitRelativePath`). */
const ZFolderSchema = z.object({
  paths: z.array(z.string().min(1, { error: "A file has no path; pick the skill's folder." })).min(1, { error: "Choose the skill's folder (it holds SKILL.md)." }),
  display_name: z.string().max(255, { error: "At most 255 characters." }),
});
const ZVersionIdSchema = z.object({ versionId: z.string().refine((id) => isId("skillVersion", id), { error: "This version no longer exists." }) });

const skillsPath = (slug: string, skillId?: string) => (skillId ? teamPath(slug, "skills", skillId) : teamPath(slug, "skills"));

/** The picked folder as the multipart request the upload use-cases read, or the field error that stops it. */
function folderUpload(formData: FormData, withDisplayName: boolean): { contentType: string | null; body: ReadableStream<Uint8Array> | null } | TFormState<never> {
  const files = formData.getAll("files").filter((f): f is File => f instanceof File && !(f.name === "" && f.size === 0));
  let paths: unknown;
  try {
    paths = JSON.parse(String(formData.get("paths") ?? "[]"));
  } catch {
    paths = null;
  }
  const values = textValues(formData, ["display_name"]);
  const parsed = ZFolderSchema.safeParse({ paths, display_name: values.display_name });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return { status: "error", fieldErrors: { [issue.path[0] === "display_name" ? "display_name" : "files"]: issue.message }, values };
  }
  if (parsed.data.paths.length !== files.length) return { status: "error", fieldErrors: { files: "The folder's files did not all arrive; pick the folder again." }, values };
  const multipart = new FormData();
  files.forEach((file, i) => multipart.append("files[]", file, parsed.data.paths[i]));
  if (withDisplayName && parsed.data.display_name.trim()) multipart.append("display_name", parsed.data.display_name.trim());
  const request = new Request("http://skill.upload/", { method: "POST", body: multipart });
  return { contentType: request.headers.get("content-type"), body: request.body };
}

/** The API's refusal (`name: …`, `files[2]: …`, `display_name: …`) shown by the form's field: the name, or the folder. */
function refusedUpload(error: unknown, values: Record<string, string>): TFormState<never> {
  if (!(error instanceof AppError) || (error.code !== "invalid_request" && error.code !== "conflict" && error.code !== "payload_too_large")) return refused(error, values);
  const field = /^display_name: /.test(error.message) ? "display_name" : "files";
  return { status: "error", fieldErrors: { [field]: error.message.replace(/^(display_name|files): /, "") }, values };
}

/** A new skill from a folder (any member): the same use-case and checks as `POST /v1/skills`. */
export async function uploadSkillAction(teamSlug: string, _previous: TFormState<null>, formData: FormData): Promise<TFormState<null>> {
  const { team } = await requireMembership(useCases(), teamSlug);
  const upload = folderUpload(formData, true);
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
  const upload = folderUpload(formData, false);
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
