import type { PrismaClient } from "@/lib/generated/prisma/client";
import { withFormField } from "@/lib/agents/ui/form-field-errors";
import { createEnvironment } from "@/lib/environments/create-environment";
import { updateEnvironment } from "@/lib/environments/update-environment";
import { environmentBody, environmentFieldOfPath, type TEnvironmentFormInput } from "./environment-form";

/**
 * The environment form's use-cases: the form becomes the API's request body and goes through the
 * same use-cases, with the same validation, as `POST /v1/environments`. A refused field comes back
 * as an AppError naming the form's field (`details.field`).
 */
export async function createEnvironmentFromForm(prisma: PrismaClient, options: { teamId: string; form: TEnvironmentFormInput }) {
  try {
    return await createEnvironment(prisma, { teamId: options.teamId, body: environmentBody(options.form) });
  } catch (error) {
    throw withFormField(error, environmentFieldOfPath);
  }
}

export async function updateEnvironmentFromForm(prisma: PrismaClient, options: { teamId: string; environmentId: string; form: TEnvironmentFormInput }) {
  try {
    return await updateEnvironment(prisma, { teamId: options.teamId, environmentId: options.environmentId, body: environmentBody(options.form) });
  } catch (error) {
    throw withFormField(error, environmentFieldOfPath);
  }
}
