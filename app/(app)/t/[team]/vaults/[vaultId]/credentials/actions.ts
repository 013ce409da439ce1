"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { teamPath } from "@/lib/auth/current-team";
import { requireMembership } from "@/lib/auth/require-membership";
import { useCases } from "@/lib/server/root";
import { credentialFormData } from "@/lib/vault/ui/credential-form";
import type { TFormState } from "@/components/forms/form-state";
import type { TValidationView } from "@/components/vaults/credential-validate-form";
import { refused } from "../../../../../form-results";

// Secrets are write-only: these actions never answer with what was submitted (no `values` in a
// refusal, unlike other forms), and the forms keep their secret fields out of their state.

/** Adds a credential to the vault and opens the vault. */
export async function createCredentialAction(teamSlug: string, vaultId: string, _previous: TFormState<null>, formData: FormData): Promise<TFormState<null>> {
  const { team } = await requireMembership(useCases(), teamSlug);
  const { values, secrets } = credentialFormData(formData);
  try {
    const result = await useCases().credentials.createFromForm({ teamId: team.id, vaultId, values, secrets });
    if (!result.ok) return { status: "error", fieldErrors: result.fieldErrors, message: result.message };
  } catch (error) {
    return refused(error);
  }
  revalidatePath(teamPath(team.slug, "vaults"), "layout");
  redirect(`${teamPath(team.slug, "vaults", vaultId)}?added=1`);
}

/** Rotates the credential's secrets (those typed) and saves its settings. */
export async function updateCredentialAction(
  teamSlug: string,
  vaultId: string,
  credentialId: string,
  _previous: TFormState<null>,
  formData: FormData,
): Promise<TFormState<null>> {
  const { team } = await requireMembership(useCases(), teamSlug);
  const { values, secrets } = credentialFormData(formData);
  try {
    const result = await useCases().credentials.updateFromForm({ teamId: team.id, vaultId, credentialId, values, secrets });
    if (!result.ok) return { status: "error", fieldErrors: result.fieldErrors, message: result.message };
  } catch (error) {
    return refused(error);
  }
  revalidatePath(teamPath(team.slug, "vaults"), "layout");
  const rotated = Object.values(secrets).some((secret) => secret !== "");
  return { status: "success", message: rotated ? "Saved. The new secret replaces the old one." : "Saved.", data: null };
}

export async function archiveCredentialAction(teamSlug: string, vaultId: string, credentialId: string, _previous: TFormState<null>): Promise<TFormState<null>> {
  const { team } = await requireMembership(useCases(), teamSlug);
  try {
    await useCases().credentials.archive({ teamId: team.id, vaultId, credentialId });
  } catch (error) {
    return refused(error);
  }
  revalidatePath(teamPath(team.slug, "vaults"), "layout");
  return { status: "success", data: null };
}

/** Deletes the credential and its secrets, and goes back to the vault. */
export async function deleteCredentialAction(teamSlug: string, vaultId: string, credentialId: string, _previous: TFormState<null>): Promise<TFormState<null>> {
  const { team } = await requireMembership(useCases(), teamSlug);
  try {
    await useCases().credentials.delete({ teamId: team.id, vaultId, credentialId });
  } catch (error) {
    return refused(error);
  }
  revalidatePath(teamPath(team.slug, "vaults"), "layout");
  redirect(teamPath(team.slug, "vaults", vaultId));
}

/** Checks an MCP OAuth credential now (the page is shown verdicts and status codes, no HTTP bodies) (`mcp_oauth_validate`): refreshes it if due, then probes its MCP server. */
export async function validateCredentialAction(teamSlug: string, vaultId: string, credentialId: string, _previous: TFormState<TValidationView>): Promise<TFormState<TValidationView>> {
  const { team } = await requireMembership(useCases(), teamSlug);
  try {
    const result = await useCases().credentials.validateMcpOAuth({ teamId: team.id, vaultId, credentialId });
    revalidatePath(teamPath(team.slug, "vaults"), "layout");
    return {
      status: "success",
      data: {
        status: result.status,
        refresh: result.refresh?.status ?? null,
        probe: result.mcp_probe && { method: result.mcp_probe.method, statusCode: result.mcp_probe.http_response?.status_code ?? null },
      },
    };
  } catch (error) {
    return refused(error);
  }
}
