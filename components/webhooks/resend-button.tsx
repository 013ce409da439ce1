"use client";

import { useActionState } from "react";
import { IDLE, type TFormAction, type TFormState } from "@/components/forms/form-state";
import { Button } from "@/components/ui/button";

/** Queues a delivery again; says so, or why not, beside the button. */
export function ResendButton({ action, webhookId, deliveryId, label }: { action: TFormAction<null>; webhookId: string; deliveryId: string; label: string }) {
  const [state, formAction, pending] = useActionState<TFormState<null>, FormData>(action, IDLE);
  return (
    <form action={formAction} className="flex items-center gap-2">
      <input type="hidden" name="webhookId" value={webhookId} />
      <input type="hidden" name="deliveryId" value={deliveryId} />
      <Button type="submit" variant="secondary" pending={pending} pendingLabel="Queuing…" aria-label={label} className="px-2.5 py-1 text-xs">
        Resend
      </Button>
      <span role="status" className="text-xs text-zinc-600 dark:text-zinc-400">
        {state.status === "success" ? "Queued" : state.status === "error" ? state.message : ""}
      </span>
    </form>
  );
}
