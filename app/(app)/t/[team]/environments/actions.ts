"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { issueFieldErrors } from "@/lib/agents/ui/form-field-errors";
import { teamPath } from "@/lib/auth/current-team";
import { requireMembership } from "@/lib/auth/require-membership";
import { AppError } from "@/lib/errors";
import { SANDBOX_PROVIDERS, ZNetworkingParamsSchema, ZPackagesParamsSchema } from "@/lib/environments/schemas";
import { environmentFieldKeyLength, environmentFormData, PACKAGE_MANAGERS } from "@/lib/environments/ui/environment-form";
import { linesSchema } from "@/lib/environments/ui/lines-schema";
import { useCases } from "@/lib/server/root";
import type { TFormState } from "@/components/forms/form-state";
import { refused } from "../../../form-results";

const notBlank = (value: string) => value.trim().length > 0;
const LIMITED = ZNetworkingParamsSchema.options[1];

/** Hosts and packages are checked line by line with the API's own schemas. */
const ZEnvironmentFormSchema = z
  .object({
    name: z.string().max(256, { error: "Use at most 256 characters" }).refine(notBlank, { error: "Give the environment a name" }),
    description: z.string().max(2048, { error: "Use at most 2048 characters" }),
    type: z.enum(["cloud", "self_hosted"], { error: "Choose where the tools run" }),
    sandbox_provider: z.enum(SANDBOX_PROVIDERS, { error: "Choose the local sandbox or Vercel Sandbox" }),
    networking: z.enum(["unrestricted", "limited"], { error: "Choose unrestricted or limited networking" }),
    allowed_hosts: linesSchema(LIMITED.shape.allowed_hosts),
    allow_package_managers: z.boolean(),
    allow_mcp_servers: z.boolean(),
    packages: z.object(Object.fromEntries(PACKAGE_MANAGERS.map((manager) => [manager, linesSchema(ZPackagesParamsSchema.shape[manager])])) as Record<
      (typeof PACKAGE_MANAGERS)[number],
      ReturnType<typeof linesSchema>
    >),
  })
  .superRefine(
    (form, ctx) => {
      // Also when other fields were refused, so every problem shows at once; a refused package
      // list (not an array) still holds packages.
      const listed = (list: unknown) => !Array.isArray(list) || list.length > 0;
      const hasPackages = PACKAGE_MANAGERS.some((manager) => listed(form.packages?.[manager]));
      if (form.type === "cloud" && form.networking === "limited" && hasPackages && form.allow_package_managers === false) {
        ctx.addIssue({
          code: "custom",
          path: ["allow_package_managers"],
          message: "Packages are installed from their registries: allow package managers, or remove the packages.",
        });
      }
    },
    { when: () => true },
  );

function invalid(error: z.ZodError): TFormState<never> {
  return { status: "error", fieldErrors: issueFieldErrors(error, environmentFieldKeyLength) };
}

/** Creates the environment and opens it. */
export async function createEnvironmentAction(teamSlug: string, _previous: TFormState<null>, formData: FormData): Promise<TFormState<null>> {
  const { team } = await requireMembership(useCases(), teamSlug);
  const parsed = ZEnvironmentFormSchema.safeParse(environmentFormData(formData));
  if (!parsed.success) return invalid(parsed.error);
  let environmentId: string;
  try {
    ({ id: environmentId } = await useCases().environments.createFromForm({ teamId: team.id, form: parsed.data }));
  } catch (error) {
    return refused(error);
  }
  revalidatePath(teamPath(team.slug), "layout");
  redirect(`${teamPath(team.slug, "environments", environmentId)}?created=1`);
}

export async function updateEnvironmentAction(teamSlug: string, environmentId: string, _previous: TFormState<null>, formData: FormData): Promise<TFormState<null>> {
  const { team } = await requireMembership(useCases(), teamSlug);
  const parsed = ZEnvironmentFormSchema.safeParse(environmentFormData(formData));
  if (!parsed.success) return invalid(parsed.error);
  try {
    await useCases().environments.updateFromForm({ teamId: team.id, environmentId, form: parsed.data });
  } catch (error) {
    return refused(error);
  }
  revalidatePath(teamPath(team.slug), "layout");
  return { status: "success", message: "Saved.", data: null };
}

export async function archiveEnvironmentAction(teamSlug: string, environmentId: string, _previous: TFormState<null>): Promise<TFormState<null>> {
  const { team } = await requireMembership(useCases(), teamSlug);
  try {
    await useCases().environments.archive({ teamId: team.id, environmentId });
  } catch (error) {
    return refused(error);
  }
  revalidatePath(teamPath(team.slug), "layout");
  return { status: "success", data: null };
}

/** Deletes the environment and goes back to the list; refused (with the reason) while sessions use it. */
export async function deleteEnvironmentAction(teamSlug: string, environmentId: string, _previous: TFormState<null>): Promise<TFormState<null>> {
  const { team } = await requireMembership(useCases(), teamSlug);
  try {
    await useCases().environments.delete({ teamId: team.id, environmentId });
  } catch (error) {
    if (error instanceof AppError && error.code === "conflict") {
      return { status: "error", message: "Sessions use this environment, so it cannot be deleted. Delete those sessions first, or archive the environment instead." };
    }
    return refused(error);
  }
  revalidatePath(teamPath(team.slug), "layout");
  redirect(teamPath(team.slug, "environments"));
}
