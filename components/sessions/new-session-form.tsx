"use client";

import { useActionState } from "react";
import { NEW_ENVIRONMENT, VAULT_IDS_FIELD, vaultIdsFromValue } from "@/lib/sessions/ui/start-session-fields";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { SelectField } from "@/components/ui/select-field";
import { INPUT_CLASSES, FieldFrame, TextField } from "@/components/ui/text-field";
import { fieldError, formMessage, IDLE, valueOf, type TFormAction, type TFormState } from "@/components/forms/form-state";
import { useFormFeedback } from "@/components/forms/use-form-feedback";
import { VaultPicker, type TVaultOption } from "./vault-picker";

export type TAgentOption = { id: string; name: string; model: string };
export type TEnvironmentOption = { id: string; name: string };

/** Picks the agent, the environment and the vaults, names the session, optionally says the first thing. */
export function NewSessionForm({
  action,
  agents,
  environments,
  vaults,
  selectedAgent,
}: {
  action: TFormAction<never>;
  agents: TAgentOption[];
  environments: TEnvironmentOption[];
  vaults: TVaultOption[];
  selectedAgent: string | null;
}) {
  const [submitted, formAction, pending] = useActionState<TFormState<never>, FormData>(action, IDLE);
  const { formRef, onEdit, state } = useFormFeedback(submitted);
  const message = formMessage(state);
  const environmentOptions =
    environments.length > 0 ? environments.map((env) => ({ value: env.id, label: `${env.name} (${env.id})` })) : [{ value: NEW_ENVIRONMENT, label: "A new environment named “default”" }];

  return (
    <form ref={formRef} onChange={onEdit} action={formAction} noValidate className="flex flex-col gap-5">
      <div data-form-message className="empty:hidden">
        {message ? <Alert tone="error">{message}</Alert> : null}
      </div>
      <div className="grid gap-5 sm:grid-cols-2">
        <SelectField
          id="session-agent"
          name="agent"
          label="Agent"
          options={agents.map((agent) => ({ value: agent.id, label: `${agent.name} · ${agent.model}` }))}
          defaultValue={valueOf(state, "agent") ?? selectedAgent ?? agents[0]?.id}
          error={fieldError(state, "agent")}
          hint="The session uses the agent's latest version, pinned for its whole life."
        />
        <SelectField
          id="session-environment"
          name="environment"
          label="Environment"
          options={environmentOptions}
          defaultValue={valueOf(state, "environment") ?? environmentOptions[0]!.value}
          error={fieldError(state, "environment")}
          hint={environments.length > 0 ? "Where the agent's tools run." : "The team has no environment yet: one is created with default settings."}
        />
      </div>
      <VaultPicker vaults={vaults} checked={vaultIdsFromValue(valueOf(state, VAULT_IDS_FIELD))} error={fieldError(state, VAULT_IDS_FIELD)} />
      <TextField
        id="session-title"
        name="title"
        label="Title (optional)"
        maxLength={1000}
        autoComplete="off"
        placeholder="e.g. Fix the flaky test"
        defaultValue={valueOf(state, "title")}
        error={fieldError(state, "title")}
      />
      <FieldFrame id="session-message" label="First message (optional)" hint="Sent as soon as the session starts; you can also write it afterwards." error={fieldError(state, "message")}>
        {(describedBy) => (
          <textarea
            id="session-message"
            name="message"
            rows={4}
            defaultValue={valueOf(state, "message")}
            aria-invalid={fieldError(state, "message") ? true : undefined}
            aria-describedby={describedBy}
            className={`${INPUT_CLASSES} resize-y`}
          />
        )}
      </FieldFrame>
      <div>
        <Button type="submit" pending={pending} pendingLabel="Starting…">
          Start session
        </Button>
      </div>
    </form>
  );
}
