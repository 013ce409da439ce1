"use client";

import { useActionState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { formMessage, IDLE, type TFormAction, type TFormState } from "@/components/forms/form-state";
import { useFormFeedback } from "@/components/forms/use-form-feedback";

/** The one button that accepts an invitation; on success the action opens the team. */
export function AcceptInvitationForm({ action, teamName }: { action: TFormAction<null>; teamName: string }) {
  const [submitted, formAction, pending] = useActionState<TFormState<null>, FormData>(action, IDLE);
  const { formRef, onEdit, state } = useFormFeedback(submitted);
  const message = formMessage(state);
  return (
    <form ref={formRef} onChange={onEdit} action={formAction} className="flex flex-col gap-4">
      <div data-form-message className="empty:hidden">{message ? <Alert tone="error">{message}</Alert> : null}</div>
      <Button type="submit" pending={pending} pendingLabel="Joining…" className="w-full sm:w-auto sm:self-start">
        Join {teamName}
      </Button>
    </form>
  );
}
