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

// Environment keys, made and revoked on a self-hosted environment's page (any member, like team
// API keys): the same name rules as team keys; the use-case refuses a cloud or archived environment.

const ZCreateEnvironmentKeySchema = z.object({
  name: z.string().trim().min(1, { error: "Give the key a name, e.g. “build server”" }).max(100, { error: "Use at most 100 characters" }),
});
const ZRevokeEnvironmentKeySchema = z.object({ apiKeyId: z.string().refine((id) => isId("apiKey", id), { error: "This key no longer exists." }) });

/** Creates a key for the environment's workers; the key is in the answer, once. */
export async function createEnvironmentKeyAction(
  teamSlug: string,
  environmentId: string,
  _previous: TFormState<TCreatedKey>,
  formData: FormData,
): Promise<TFormState<TCreatedKey>> {
  const { user, team } = await requireMembership(useCases(), teamSlug);
  const values = textValues(formData, ["name"]);
  const parsed = ZCreateEnvironmentKeySchema.safeParse(values);
  if (!parsed.success) return invalidInput(parsed.error, values);
  try {
    const { key } = await useCases().environmentKeys.create({ teamId: team.id, environmentId, name: parsed.data.name, createdBy: user.id });
    revalidatePath(teamPath(team.slug, "environments", environmentId));
    return { status: "success", data: { name: parsed.data.name, key } };
  } catch (error) {
    return refused(error, values);
  }
}

export async function revokeEnvironmentKeyAction(teamSlug: string, environmentId: string, _previous: TFormState<null>, formData: FormData): Promise<TFormState<null>> {
  const { team } = await requireMembership(useCases(), teamSlug);
  const parsed = ZRevokeEnvironmentKeySchema.safeParse(textValues(formData, ["apiKeyId"]));
  if (!parsed.success) return { status: "error", message: parsed.error.issues[0]!.message };
  try {
    await useCases().environmentKeys.revoke({ teamId: team.id, environmentId, id: parsed.data.apiKeyId });
  } catch (error) {
    return refused(error);
  }
  revalidatePath(teamPath(team.slug, "environments", environmentId));
  return { status: "success", data: null };
}
