"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { teamPath } from "@/lib/auth/current-team";
import { requireMembership } from "@/lib/auth/require-membership";
import { useCases } from "@/lib/server/root";
import type { TFormState } from "@/components/forms/form-state";
import { invalidInput, refused, textValues } from "../../../form-results";

const ZVaultFormSchema = z.object({
  display_name: z.string().max(255, { error: "Use at most 255 characters" }).refine((name) => name.trim().length > 0, { error: "Give the vault a name" }),
});

/** Creates the vault (through the API's use-case) and opens it. */
export async function createVaultAction(teamSlug: string, _previous: TFormState<null>, formData: FormData): Promise<TFormState<null>> {
  const { team } = await requireMembership(useCases(), teamSlug);
  const values = textValues(formData, ["display_name"]);
  const parsed = ZVaultFormSchema.safeParse(values);
  if (!parsed.success) return invalidInput(parsed.error, values);
  let vaultId: string;
  try {
    ({ id: vaultId } = await useCases().vaults.create({ teamId: team.id, body: parsed.data }));
  } catch (error) {
    return refused(error, values);
  }
  revalidatePath(teamPath(team.slug, "vaults"));
  redirect(`${teamPath(team.slug, "vaults", vaultId)}?created=1`);
}

export async function archiveVaultAction(teamSlug: string, vaultId: string, _previous: TFormState<null>): Promise<TFormState<null>> {
  const { team } = await requireMembership(useCases(), teamSlug);
  try {
    await useCases().vaults.archive({ teamId: team.id, vaultId });
  } catch (error) {
    return refused(error);
  }
  revalidatePath(teamPath(team.slug, "vaults"), "layout");
  return { status: "success", data: null };
}

/** Deletes the vault with every credential in it, and goes back to the list. */
export async function deleteVaultAction(teamSlug: string, vaultId: string, _previous: TFormState<null>): Promise<TFormState<null>> {
  const { team } = await requireMembership(useCases(), teamSlug);
  try {
    await useCases().vaults.delete({ teamId: team.id, vaultId });
  } catch (error) {
    return refused(error);
  }
  revalidatePath(teamPath(team.slug, "vaults"), "layout");
  redirect(teamPath(team.slug, "vaults"));
}
