"use client";

import { startTransition, useActionState, type FormEvent } from "react";
import { formMessage, IDLE, type TFormAction, type TFormState } from "./form-state";
import { useFormFeedback } from "./use-form-feedback";

/**
 * A form driven by a server action: its state, whether it is pending, the form's ref (focus moves to
 * the first invalid field after a refusal, and a field's error clears once it is edited:
 * `useFormFeedback`), the form-level message, and the submit handler. The
 * handler dispatches the form's data itself (rather than `<form action>`), so React does not reset
 * the fields after a refused submit.
 */
export function useFormAction<T>(action: TFormAction<T>) {
  const [submitted, dispatch, pending] = useActionState<TFormState<T>, FormData>(action, IDLE);
  const { formRef, onEdit, state, answer } = useFormFeedback(submitted);
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formData = new FormData(event.currentTarget);
    startTransition(() => dispatch(formData));
  }
  return { state, answer, pending, formRef, onEdit, submit, message: formMessage(state) };
}
