"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { teamPath } from "@/lib/auth/current-team";
import { requireMembership } from "@/lib/auth/require-membership";
import { AppError } from "@/lib/errors";
import { useCases } from "@/lib/server/root";
import type { TFormState } from "@/components/forms/form-state";
import { refused, textValues } from "../../../form-results";

// The memory browser's actions: each calls the API's own use-case, so the web app and the API
// validate alike; writes are attributed to the signed-in member (`created_by: user_actor`).

/** An API refusal of one field (`path: must start with /`) shown next to that field. */
function refusedField(error: unknown, values: Record<string, string>, fields: readonly string[]): TFormState<never> {
  const field = error instanceof AppError && typeof error.details?.path === "string" ? error.details.path : undefined;
  if (field && fields.includes(field)) return { status: "error", fieldErrors: { [field]: (error as AppError).message.replace(`${field}: `, "") }, values };
  return refused(error, values);
}

/**
 * A textarea's value as the person typed it: browsers submit its line breaks as CRLF whatever was
 * typed, which would make every line of a memory edited in the web app differ from one written
 * through the API. (The API itself stores content exactly as sent.)
 */
function typedContent(values: Record<string, string>): Record<string, string> {
  return { ...values, content: (values.content ?? "").replace(/\r\n/g, "\n") };
}

const storePath = (slug: string, storeId?: string) => (storeId ? teamPath(slug, "memory", storeId) : teamPath(slug, "memory"));

export async function createMemoryStoreAction(teamSlug: string, _previous: TFormState<null>, formData: FormData): Promise<TFormState<null>> {
  const { team } = await requireMembership(useCases(), teamSlug);
  const values = textValues(formData, ["name", "description"]);
  let storeId: string;
  try {
    ({ id: storeId } = await useCases().memoryStores.create({ teamId: team.id, body: { name: values.name, description: values.description } }));
  } catch (error) {
    return refusedField(error, values, ["name", "description"]);
  }
  revalidatePath(storePath(team.slug));
  redirect(`${storePath(team.slug, storeId)}?created=1`);
}

export async function archiveMemoryStoreAction(teamSlug: string, storeId: string): Promise<TFormState<null>> {
  const { team } = await requireMembership(useCases(), teamSlug);
  try {
    await useCases().memoryStores.archive({ teamId: team.id, storeId });
  } catch (error) {
    return refused(error);
  }
  revalidatePath(storePath(team.slug), "layout");
  return { status: "success", data: null };
}

/** Deletes the store with every memory and version in it, and goes back to the list. */
export async function deleteMemoryStoreAction(teamSlug: string, storeId: string): Promise<TFormState<null>> {
  const { team } = await requireMembership(useCases(), teamSlug);
  try {
    await useCases().memoryStores.delete({ teamId: team.id, storeId });
  } catch (error) {
    return refused(error);
  }
  revalidatePath(storePath(team.slug), "layout");
  redirect(storePath(team.slug));
}

export async function createMemoryAction(teamSlug: string, storeId: string, _previous: TFormState<null>, formData: FormData): Promise<TFormState<null>> {
  const { team, user } = await requireMembership(useCases(), teamSlug);
  const values = typedContent(textValues(formData, ["path", "content"]));
  let memoryId: string;
  try {
    ({ id: memoryId } = await useCases().memories.create({ teamId: team.id, storeId, body: values, actor: { type: "user_actor", id: user.id } }));
  } catch (error) {
    return refusedField(error, values, ["path", "content"]);
  }
  revalidatePath(storePath(team.slug, storeId), "layout");
  redirect(teamPath(team.slug, "memory", storeId, "memories", memoryId));
}

/**
 * Saves an edit as a new version, on the condition that the memory still has the content the form
 * was opened with (`content_sha256`): someone else's newer write is never overwritten.
 */
export async function updateMemoryAction(teamSlug: string, storeId: string, memoryId: string, _previous: TFormState<null>, formData: FormData): Promise<TFormState<null>> {
  const { team, user } = await requireMembership(useCases(), teamSlug);
  const values = typedContent(textValues(formData, ["path", "content", "content_sha256"]));
  try {
    await useCases().memories.update({
      teamId: team.id,
      storeId,
      memoryId,
      body: { path: values.path, content: values.content, precondition: { type: "content_sha256", content_sha256: values.content_sha256 } },
      actor: { type: "user_actor", id: user.id },
    });
  } catch (error) {
    if (error instanceof AppError && error.details?.errorType === "memory_precondition_failed_error") {
      return { status: "error", message: "This memory was changed since you opened it; nothing was saved. Reload the page to see the newer version, then edit again.", values };
    }
    return refusedField(error, values, ["path", "content"]);
  }
  revalidatePath(storePath(team.slug, storeId), "layout");
  return { status: "success", data: null };
}

export async function deleteMemoryAction(teamSlug: string, storeId: string, memoryId: string): Promise<TFormState<null>> {
  const { team, user } = await requireMembership(useCases(), teamSlug);
  try {
    await useCases().memories.delete({ teamId: team.id, storeId, memoryId, actor: { type: "user_actor", id: user.id } });
  } catch (error) {
    return refused(error);
  }
  revalidatePath(storePath(team.slug, storeId), "layout");
  redirect(storePath(team.slug, storeId));
}

export async function redactMemoryVersionAction(teamSlug: string, storeId: string, versionId: string): Promise<TFormState<null>> {
  const { team, user } = await requireMembership(useCases(), teamSlug);
  try {
    await useCases().memoryVersions.redact({ teamId: team.id, storeId, versionId, actor: { type: "user_actor", id: user.id } });
  } catch (error) {
    return refused(error);
  }
  revalidatePath(storePath(team.slug, storeId), "layout");
  return { status: "success", data: null };
}

/** The store page's "Dream" form: starts a dream over the store (lib/dreams/dream-store-from-form.ts) and shows it in the page's list. */
export async function dreamStoreAction(teamSlug: string, storeId: string, _previous: TFormState<null>, formData: FormData): Promise<TFormState<null>> {
  const { team } = await requireMembership(useCases(), teamSlug);
  const values = textValues(formData, ["model", "instructions", "output"]);
  try {
    await useCases().dreams.createFromForm({ teamId: team.id, storeId, values });
  } catch (error) {
    return refusedField(error, values, ["model", "instructions", "output"]);
  }
  revalidatePath(storePath(team.slug, storeId), "layout");
  return { status: "success", data: null };
}
