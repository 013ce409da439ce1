"use client";

import Link from "next/link";
import { useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button, buttonClasses } from "@/components/ui/button";
import { TextField } from "@/components/ui/text-field";
import { fieldError, type TFormAction } from "@/components/forms/form-state";
import { useFormAction } from "@/components/forms/use-form-action";

/** A new vault: just its name. Credentials are added on the vault's page. */
export function VaultCreateForm({ action, cancelHref }: { action: TFormAction<null>; cancelHref: string }) {
  const { state, pending, formRef, submit, message } = useFormAction(action);
  const [name, setName] = useState("");

  return (
    <form ref={formRef} onSubmit={submit} noValidate className="flex flex-col gap-6" aria-label="New vault">
      <div data-form-message aria-live="polite" className="empty:hidden">
        {message ? <Alert tone="error">{message}</Alert> : null}
      </div>
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
      <div className="flex flex-col-reverse gap-3 border-t border-zinc-200 pt-5 sm:flex-row sm:items-center sm:justify-end dark:border-zinc-800">
        <Link href={cancelHref} className={buttonClasses("ghost")}>
          Cancel
        </Link>
        <Button type="submit" pending={pending} pendingLabel="Creating…">
          Create vault
        </Button>
      </div>
    </form>
  );
}
