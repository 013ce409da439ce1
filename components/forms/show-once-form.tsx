"use client";

import { useActionState, type ReactNode } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { CopyField } from "@/components/ui/copy-field";
import { formMessage, IDLE, type TFormAction, type TFormState } from "./form-state";
import { useFormFeedback } from "./use-form-feedback";

/** What a created secret shows, once: a title, what to do with it, and the value to copy. */
export type TShownOnce = { title: ReactNode; text: ReactNode; copyLabel: string; value: string };

/**
 * A one-field form that creates a secret (an API key, an invitation link) and then shows it once:
 * the field and the button on one row, the created secret under them with a copy button. Only a
 * hash of the secret is kept, so it is never shown again.
 */
export function ShowOnceForm<T>({
  action,
  field,
  submitLabel,
  pendingLabel,
  shown,
}: {
  action: TFormAction<T>;
  field: (state: TFormState<T>) => ReactNode;
  submitLabel: string;
  pendingLabel: string;
  shown: (data: T) => TShownOnce;
}) {
  const [submitted, formAction, pending] = useActionState<TFormState<T>, FormData>(action, IDLE);
  const { formRef, onEdit, state } = useFormFeedback(submitted);
  const message = formMessage(state);
  const created = state.status === "success" ? shown(state.data) : null;

  return (
    <div className="flex flex-col gap-5">
      <form ref={formRef} onChange={onEdit} action={formAction} noValidate className="flex flex-col gap-4">
        <div data-form-message className="empty:hidden">{message ? <Alert tone="error">{message}</Alert> : null}</div>
        <div className="flex flex-col gap-4 sm:flex-row sm:items-start">
          <div className="flex-1">{field(state)}</div>
          <Button type="submit" pending={pending} pendingLabel={pendingLabel} className="sm:mt-7">
            {submitLabel}
          </Button>
        </div>
      </form>
      {created ? (
        <div className="flex flex-col gap-3 rounded-lg border border-zinc-200 p-4 dark:border-zinc-800">
          <Alert tone="success" title={created.title}>
            {created.text}
          </Alert>
          <CopyField label={created.copyLabel} value={created.value} />
        </div>
      ) : null}
    </div>
  );
}
