"use server";

import { redirect } from "next/navigation";
import { z } from "zod";
import { teamPath } from "@/lib/auth/current-team";
import { requireMembership } from "@/lib/auth/require-membership";
import { useCases } from "@/lib/server/root";
import { NEW_ENVIRONMENT } from "@/lib/sessions/ui/start-session-fields";
import type { TFormState } from "@/components/forms/form-state";
import { invalidInput, refused, textValues } from "../../../../form-results";

const ZStartSessionSchema = z.object({
  agent: z.string().trim().min(1, { error: "Choose an agent" }).max(128),
  environment: z.string().trim().min(1, { error: "Choose an environment" }).max(128),
  title: z.string().trim().max(1000, { error: "Use at most 1,000 characters" }),
  message: z.string().max(100_000, { error: "Use at most 100,000 characters" }),
});

const FIELDS = ["agent", "environment", "title", "message"] as const;

/**
 * Starts a session of one of the team's agents (pinned at its latest version) in an environment,
 * with an optional first message, then opens it. The checks are the API's (`createSession`).
 */
export async function startSessionAction(teamSlug: string, _previous: TFormState<never>, formData: FormData): Promise<TFormState<never>> {
  const { user, team } = await requireMembership(useCases(), teamSlug);
  const values = textValues(formData, FIELDS);
  const parsed = ZStartSessionSchema.safeParse(values);
  if (!parsed.success) return invalidInput(parsed.error, values);
  const { agent, title, message } = parsed.data;
  const { environments, sessions } = useCases();
  let sessionId: string;
  try {
    let environmentId = parsed.data.environment;
    if (environmentId === NEW_ENVIRONMENT) {
      environmentId = (await environments.create({ teamId: team.id, body: { name: "default" } })).id;
    }
    const session = await sessions.create({
      teamId: team.id,
      createdBy: user.id,
      actor: { kind: "member", userId: user.id },
      body: {
        agent,
        environment_id: environmentId,
        title: title || null,
        ...(message.trim() ? { initial_events: [{ type: "user.message", content: [{ type: "text", text: message.trimEnd() }] }] } : {}),
      },
    });
    sessionId = session.id;
  } catch (error) {
    return refused(error, values);
  }
  redirect(teamPath(team.slug, "sessions", sessionId));
}
