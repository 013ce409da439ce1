"use client";

import { useActionState, useEffect, useId, useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { IDLE, type TFormAction, type TFormState } from "./form-state";

/**
 * A destructive action in two steps: the first button asks, the second does it. Focus goes to the
 * confirming button when asked and back to the first one when cancelled; a refusal is shown inline.
 */
export function ConfirmActionForm({
  action,
  fields,
  label,
  accessibleLabel,
  question,
  confirmLabel,
  pendingLabel,
}: {
  action: TFormAction<null>;
  fields: Record<string, string>;
  label: string;
  /** A longer name for screen readers when the visible label is short ("Remove" → "Remove Ada"). */
  accessibleLabel?: string;
  question: string;
  confirmLabel: string;
  pendingLabel: string;
}) {
  const [state, formAction, pending] = useActionState<TFormState<null>, FormData>(action, IDLE);
  const [confirming, setConfirming] = useState(false);
  const triggerRef = useRef<HTMLButtonElement>(null);
  const wasConfirming = useRef(false);
  const questionId = useId();
  const errorId = useId();

  useEffect(() => {
    if (wasConfirming.current && !confirming) triggerRef.current?.focus();
    wasConfirming.current = confirming;
  }, [confirming]);

  const error = state.status === "error" ? state.message : undefined;

  return (
    <div className="flex flex-col items-end gap-1.5">
      {confirming ? (
        <form action={formAction} className="flex flex-wrap items-center justify-end gap-2">
          {Object.entries(fields).map(([name, value]) => (
            <input key={name} type="hidden" name={name} value={value} />
          ))}
          <span id={questionId} className="text-sm text-zinc-700 dark:text-zinc-300">
            {question}
          </span>
          <Button type="submit" variant="danger" autoFocus pending={pending} pendingLabel={pendingLabel} aria-describedby={questionId}>
            {confirmLabel}
          </Button>
          <Button variant="secondary" disabled={pending} onClick={() => setConfirming(false)}>
            Cancel
          </Button>
        </form>
      ) : (
        <Button ref={triggerRef} variant="secondary" aria-label={accessibleLabel} aria-describedby={error ? errorId : undefined} onClick={() => setConfirming(true)}>
          {label}
        </Button>
      )}
      {error ? (
        <p id={errorId} role="alert" className="text-sm text-red-700 dark:text-red-400">
          {error}
        </p>
      ) : null}
    </div>
  );
}
