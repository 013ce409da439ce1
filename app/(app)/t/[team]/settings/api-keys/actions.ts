"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { teamPath } from "@/lib/auth/current-team";
import { requireMembership } from "@/lib/auth/require-membership";
import { isId } from "@/lib/ids";
import { useCases } from "@/lib/server/root";
import type { TFormState } from "@/components/forms/form-state";
import type { TCreatedKey } from "@/components/teams/api-key-create-form";
import { invalidInput, refused, textValues } from "../../../../form-results";

const ZCreateApiKeySchema = z.object({
  name: z.string().trim().min(1, { error: "Give the key a name, e.g. “CI”" }).max(100, { error: "Use at most 100 characters" }),
});
const ZRevokeApiKeySchema = z.object({ apiKeyId: z.string().refine((id) => isId("apiKey", id), { error: "This key no longer exists." }) });

const keysPath = (slug: string) => teamPath(slug, "settings", "api-keys");

/** Creates a key for the team (any member); the key is in the answer, once. */
export async function createApiKeyAction(teamSlug: string, _previous: TFormState<TCreatedKey>, formData: FormData): Promise<TFormState<TCreatedKey>> {
  const { user, team } = await requireMembership(useCases(), teamSlug);
  const values = textValues(formData, ["name"]);
  const parsed = ZCreateApiKeySchema.safeParse(values);
  if (!parsed.success) return invalidInput(parsed.error, values);
  try {
    const { key } = await useCases().apiKeys.create({ teamId: team.id, name: parsed.data.name, createdBy: user.id });
    revalidatePath(keysPath(team.slug));
    return { status: "success", data: { name: parsed.data.name, key } };
  } catch (error) {
    return refused(error, values);
  }
}

export async function revokeApiKeyAction(teamSlug: string, _previous: TFormState<null>, formData: FormData): Promise<TFormState<null>> {
  const { team } = await requireMembership(useCases(), teamSlug);
  const parsed = ZRevokeApiKeySchema.safeParse(textValues(formData, ["apiKeyId"]));
  if (!parsed.success) return { status: "error", message: parsed.error.issues[0]!.message };
  try {
    await useCases().apiKeys.revoke({ teamId: team.id, id: parsed.data.apiKeyId });
  } catch (error) {
    return refused(error);
  }
  revalidatePath(keysPath(team.slug));
  return { status: "success", data: null };
}
