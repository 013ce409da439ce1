"use server";

import { revalidatePath } from "next/cache";
import { teamPath } from "@/lib/auth/current-team";
import { requireMembership } from "@/lib/auth/require-membership";
import { useCases } from "@/lib/server/root";
import type { TFormState } from "@/components/forms/form-state";
import { refused } from "../../../form-results";

// A deployment page's buttons: each calls the API's own use-case (`POST /v1/deployments/{id}/run`,
// `/pause`, `/unpause`, `/archive`); a run started here is the signed-in member's.

const deploymentsPath = (slug: string) => teamPath(slug, "deployments");

async function act(teamSlug: string, step: (teamId: string, userId: string) => Promise<unknown>): Promise<TFormState<null>> {
  const { team, user } = await requireMembership(useCases(), teamSlug);
  try {
    await step(team.id, user.id);
  } catch (error) {
    return refused(error);
  }
  revalidatePath(deploymentsPath(team.slug), "layout");
  return { status: "success", data: null };
}

/** Starts a run now: a session is created exactly as a scheduled tick creates one. */
export async function runDeploymentAction(teamSlug: string, deploymentId: string): Promise<TFormState<null>> {
  return act(teamSlug, (teamId, userId) => useCases().deployments.run({ teamId, deploymentId, createdBy: userId, actor: { kind: "member", userId } }));
}

export async function pauseDeploymentAction(teamSlug: string, deploymentId: string): Promise<TFormState<null>> {
  return act(teamSlug, (teamId) => useCases().deployments.pause({ teamId, deploymentId }));
}

export async function unpauseDeploymentAction(teamSlug: string, deploymentId: string): Promise<TFormState<null>> {
  return act(teamSlug, (teamId) => useCases().deployments.unpause({ teamId, deploymentId }));
}

export async function archiveDeploymentAction(teamSlug: string, deploymentId: string): Promise<TFormState<null>> {
  return act(teamSlug, (teamId) => useCases().deployments.archive({ teamId, deploymentId }));
}
