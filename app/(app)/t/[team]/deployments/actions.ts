"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { teamPath } from "@/lib/auth/current-team";
import { requireMembership } from "@/lib/auth/require-membership";
import { AppError } from "@/lib/errors";
import { useCases } from "@/lib/server/root";
import type { TFormState } from "@/components/forms/form-state";
import { invalidInput, refused, textValues } from "../../../form-results";

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

const ZCreateDeploymentSchema = z.object({
  name: z.string().trim().min(1, { error: "Give the deployment a name." }).max(256, { error: "At most 256 characters." }),
  agent: z.string().trim().min(1, { error: "Choose an agent." }).max(128),
  environment: z.string().trim().min(1, { error: "Choose an environment." }).max(128),
  message: z.string().trim().min(1, { error: "Write the first message each run sends." }).max(100_000, { error: "At most 100,000 characters." }),
  schedule: z.string().trim().max(256, { error: "At most 256 characters." }),
  timezone: z.string().trim().max(64, { error: "At most 64 characters." }),
});
const CREATE_FIELDS = ["name", "agent", "environment", "message", "schedule", "timezone"] as const;

/** The form field an API error path names (`environment_id`, `schedule.expression`, `initial_events[0]…`). */
function createField(path: string): string | undefined {
  if (path === "name" || path === "agent") return path;
  if (path === "environment_id") return "environment";
  if (path.startsWith("initial_events")) return "message";
  if (path === "schedule.timezone") return "timezone";
  if (path.startsWith("schedule")) return "schedule";
  return undefined;
}

/**
 * A new deployment (any member): an agent at its latest version, an environment, the first message
 * each run sends and, optionally, a cron schedule in a timezone. The checks are the API's
 * (`POST /v1/deployments`); a refusal is shown by the field it names.
 */
export async function createDeploymentAction(teamSlug: string, _previous: TFormState<null>, formData: FormData): Promise<TFormState<null>> {
  const { team } = await requireMembership(useCases(), teamSlug);
  const values = textValues(formData, CREATE_FIELDS);
  const parsed = ZCreateDeploymentSchema.safeParse(values);
  if (!parsed.success) return invalidInput(parsed.error, values);
  const { name, agent, environment, message, schedule, timezone } = parsed.data;
  let deploymentId: string;
  try {
    ({ id: deploymentId } = await useCases().deployments.create({
      teamId: team.id,
      body: {
        name,
        agent,
        environment_id: environment,
        initial_events: [{ type: "user.message", content: [{ type: "text", text: message.replace(/\r\n/g, "\n") }] }],
        ...(schedule ? { schedule: { type: "cron", expression: schedule, timezone: timezone || "UTC" } } : {}),
      },
    }));
  } catch (error) {
    const path = error instanceof AppError && typeof error.details?.path === "string" ? error.details.path : "";
    const field = createField(path);
    if (field && error instanceof AppError) return { status: "error", fieldErrors: { [field]: error.message.replace(/^[\w.[\]]+: /, "") }, values };
    return refused(error, values);
  }
  revalidatePath(deploymentsPath(team.slug));
  redirect(teamPath(team.slug, "deployments", deploymentId));
}
