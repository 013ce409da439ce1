"use client";

import { useActionState } from "react";
import { IDLE, type TFormAction, type TFormState } from "@/components/forms/form-state";
import { Button } from "@/components/ui/button";

/** One of a deployment's buttons (Run now, Pause, Unpause); a refusal is said beside it. */
export function DeploymentActionButton({ action, label, pendingLabel, variant = "secondary" }: { action: TFormAction<null>; label: string; pendingLabel: string; variant?: "primary" | "secondary" }) {
  const [state, formAction, pending] = useActionState<TFormState<null>, FormData>(action, IDLE);
  return (
    <form action={formAction} className="flex items-center gap-2">
      <Button type="submit" variant={variant} pending={pending} pendingLabel={pendingLabel}>
        {label}
      </Button>
      <span role="status" className="text-sm text-red-700 empty:hidden dark:text-red-400">
        {state.status === "error" ? state.message : ""}
      </span>
    </form>
  );
}
