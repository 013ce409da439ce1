"use client";

import { useState } from "react";
import { TextField } from "@/components/ui/text-field";
import { FormFrame } from "@/components/forms/form-frame";
import { fieldError, type TFormAction } from "@/components/forms/form-state";
import { useFormAction } from "@/components/forms/use-form-action";

/** A new vault: just its name. Credentials are added on the vault's page. */
export function VaultCreateForm({ action, cancelHref }: { action: TFormAction<null>; cancelHref: string }) {
  const form = useFormAction(action);
  const { state } = form;
  const [name, setName] = useState("");

  return (
    <FormFrame form={form} label="New vault" cancelHref={cancelHref} submitLabel="Create vault" pendingLabel="Creating…">
      <TextField
        id="vault-name"
        name="display_name"
        label="Name"
        required
        maxLength={255}
        autoComplete="off"
        hint="Who or what the credentials are for, e.g. “Ada’s GitHub” or “Production”."
        value={name}
        onChange={(event) => setName(event.currentTarget.value)}
        error={fieldError(state, "display_name")}
      />
    </FormFrame>
  );
}
