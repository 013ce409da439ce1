"use server";

import { redirect } from "next/navigation";
import { z } from "zod";
import { teamPath } from "@/lib/auth/current-team";
import { requireMembership } from "@/lib/auth/require-membership";
import { useCases } from "@/lib/server/root";
import { withFormField } from "@/lib/agents/ui/form-field-errors";
import { NEW_ENVIRONMENT, VAULT_IDS_FIELD, vaultIdsOf, vaultIdsValue } from "@/lib/sessions/ui/start-session-fields";
import type { TFormState } from "@/components/forms/form-state";
import { invalidInput, refused, textValues } from "../../../../form-results";

const ZStartSessionSchema = z.object({
  agent: z.string().trim().min(1, { error: "Choose an agent" }).max(128),
  environment: z.string().trim().min(1, { error: "Choose an environment" }).max(128),
  title: z.string().trim().max(1000, { error: "Use at most 1,000 characters" }),
  message: z.string().max(100_000, { error: "Use at most 100,000 characters" }),
  // Only the shape here: which vaults a session may use is the API's check (createSession), below.
  vault_ids: z.array(z.string().max(128)).max(50, { error: "Choose at most 50 vaults" }),
});

const FIELDS = ["agent", "environment", "title", "message"] as const;

/**
 * Starts a session of one of the team's agents (pinned at its latest version) in an environment,
 * with an optional first message and the vaults it may use, then opens it. The checks are the API's
 * (`createSession`).
 */
export async function startSessionAction(teamSlug: string, _previous: TFormState<never>, formData: FormData): Promise<TFormState<never>> {
  const { user, team } = await requireMembership(useCases(), teamSlug);
  const vaultIds = vaultIdsOf(formData);
  // The vaults chosen travel back with the text, so a refused form keeps them ticked.
  const values = { ...textValues(formData, FIELDS), [VAULT_IDS_FIELD]: vaultIdsValue(vaultIds) };
  const parsed = ZStartSessionSchema.safeParse({ ...values, vault_ids: vaultIds });
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
        vault_ids: parsed.data.vault_ids,
        ...(message.trim() ? { initial_events: [{ type: "user.message", content: [{ type: "text", text: message.trimEnd() }] }] } : {}),
      },
    });
    sessionId = session.id;
  } catch (error) {
    // An archived vault, or one that is not the team's, is refused by the API's check with the
    // entry's path (`vault_ids[0]`): shown next to the vault picker.
    return refused(
      withFormField(error, (path) => (path.startsWith(`${VAULT_IDS_FIELD}[`) ? { field: VAULT_IDS_FIELD, inner: "" } : null)),
      values,
    );
  }
  redirect(teamPath(team.slug, "sessions", sessionId));
}
