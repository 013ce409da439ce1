"use client";

import { useState } from "react";
import { newCredentialFormValues, type TCredentialFormValues } from "@/lib/vault/ui/credential-form";
import { FormSection } from "@/components/agents/fields";
import { TextField } from "@/components/ui/text-field";
import { FormFrame } from "@/components/forms/form-frame";
import { fieldError, type TFormAction } from "@/components/forms/form-state";
import { useFormAction } from "@/components/forms/use-form-action";
import { CredentialFields } from "./credential-fields";
import { RadioCard } from "@/components/ui/radio-card";

const TYPES = [
  { value: "environment_variable", title: "Environment variable", description: "A variable in the sandbox; the value is swapped in on requests to the hosts you allow." },
  { value: "static_bearer", title: "Bearer token", description: "A fixed token sent to one MCP server." },
  { value: "mcp_oauth", title: "MCP OAuth", description: "An OAuth access token for one MCP server, optionally with a refresh token." },
] as const;

/**
 * A new credential: its type, an optional name and the fields of that type. The server answers a
 * refusal field by field, and never with what was typed into a secret field.
 */
export function CredentialForm({ action, cancelHref }: { action: TFormAction<null>; cancelHref: string }) {
  const form = useFormAction(action);
  const { state } = form;
  const [values, setValues] = useState<TCredentialFormValues>(() => newCredentialFormValues());
  const set = (patch: Partial<TCredentialFormValues>) => setValues((current) => ({ ...current, ...patch }));

  return (
    <FormFrame form={form} label="New credential" cancelHref={cancelHref} submitLabel="Add credential" pendingLabel="Adding…">
      <TextField
        id="credential-display-name"
        name="display_name"
        label="Name"
        maxLength={255}
        autoComplete="off"
        hint="Optional, e.g. “GitHub, read-only”."
        value={values.display_name}
        onChange={(event) => set({ display_name: event.currentTarget.value })}
        error={fieldError(state, "display_name")}
      />
      <FormSection legend="Type" description="How the agent uses the secret. This cannot be changed later." error={fieldError(state, "type")}>
        <div className="grid gap-3 md:grid-cols-3">
          {TYPES.map((type) => (
            <RadioCard
              key={type.value}
              name="type"
              value={type.value}
              checked={values.type === type.value}
              onChange={() => set({ type: type.value })}
              title={type.title}
              description={type.description}
            />
          ))}
        </div>
      </FormSection>
      <FormSection legend="Secret" description="Stored encrypted. It is never shown again, and never enters the sandbox or the model's context.">
        <CredentialFields mode="create" values={values} set={set} errorOf={(field) => fieldError(state, field)} />
      </FormSection>
    </FormFrame>
  );
}
