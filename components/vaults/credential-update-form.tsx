"use client";

import { useEffect, useState } from "react";
import type { TCredentialFormValues } from "@/lib/vault/ui/credential-form";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/text-field";
import { fieldError, type TFormAction } from "@/components/forms/form-state";
import { useFormAction } from "@/components/forms/use-form-action";
import { CredentialFields } from "./credential-fields";

/**
 * Rotates a credential's secrets and edits its settings. A secret field left blank keeps the stored
 * secret; after a save the typed secrets are cleared from the page.
 */
export function CredentialUpdateForm({ action, initial, readOnly = false }: { action: TFormAction<null>; initial: TCredentialFormValues; readOnly?: boolean }) {
  const { state, pending, formRef, submit, message } = useFormAction(action);
  const [values, setValues] = useState(initial);
  const set = (patch: Partial<TCredentialFormValues>) => setValues((current) => ({ ...current, ...patch }));

  useEffect(() => {
    if (state.status !== "success") return;
    for (const input of formRef.current?.querySelectorAll<HTMLInputElement>('input[type="password"]') ?? []) input.value = "";
  }, [state, formRef]);

  return (
    <form ref={formRef} onSubmit={submit} noValidate className="flex flex-col gap-6" aria-label="Update the credential">
      <div data-form-message aria-live="polite" className="empty:hidden">
        {message ? <Alert tone="error">{message}</Alert> : state.status === "success" ? <Alert tone="success">{state.message ?? "Saved."}</Alert> : null}
      </div>
      <fieldset disabled={readOnly} className="flex min-w-0 flex-col gap-5">
        <TextField
          id="credential-display-name"
          name="display_name"
          label="Name"
          maxLength={255}
          autoComplete="off"
          hint="Optional."
          value={values.display_name}
          onChange={(event) => set({ display_name: event.currentTarget.value })}
          error={fieldError(state, "display_name")}
        />
        <CredentialFields mode="update" values={values} set={set} errorOf={(field) => fieldError(state, field)} />
      </fieldset>
      {readOnly ? null : (
        <div className="flex justify-end border-t border-zinc-200 pt-5 dark:border-zinc-800">
          <Button type="submit" pending={pending} pendingLabel="Saving…">
            Save changes
          </Button>
        </div>
      )}
    </form>
  );
}
