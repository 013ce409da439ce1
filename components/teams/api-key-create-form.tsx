"use client";

import { useActionState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { CopyField } from "@/components/ui/copy-field";
import { TextField } from "@/components/ui/text-field";
import { fieldError, formMessage, IDLE, valueOf, type TFormAction, type TFormState } from "@/components/forms/form-state";
import { useFocusOnError } from "@/components/forms/use-focus-on-error";

export type TCreatedKey = { name: string; key: string };

/** Names and creates a key, then shows it once. */
export function ApiKeyCreateForm({ action }: { action: TFormAction<TCreatedKey> }) {
  const [state, formAction, pending] = useActionState<TFormState<TCreatedKey>, FormData>(action, IDLE);
  const formRef = useFocusOnError(state);
  const message = formMessage(state);

  return (
    <div className="flex flex-col gap-5">
      <form ref={formRef} action={formAction} noValidate className="flex flex-col gap-4">
        <div data-form-message className="empty:hidden">{message ? <Alert tone="error">{message}</Alert> : null}</div>
        <div className="flex flex-col gap-4 sm:flex-row sm:items-start">
          <div className="flex-1">
            <TextField
              id="api-key-name"
              name="name"
              label="Key name"
              required
              maxLength={100}
              autoComplete="off"
              hint="What the key is for, e.g. “CI” or “laptop”."
              defaultValue={valueOf(state, "name")}
              error={fieldError(state, "name")}
            />
          </div>
          <Button type="submit" pending={pending} pendingLabel="Creating key…" className="sm:mt-7">
            Create key
          </Button>
        </div>
      </form>
      {state.status === "success" ? (
        <div className="flex flex-col gap-3 rounded-lg border border-zinc-200 p-4 dark:border-zinc-800">
          <Alert tone="success" title={`Key “${state.data.name}” created`}>
            Copy it now and keep it somewhere safe: it will not be shown again. Send it as the <span className="font-mono">x-api-key</span> header.
          </Alert>
          <CopyField label="API key" value={state.data.key} />
        </div>
      ) : null}
    </div>
  );
}
