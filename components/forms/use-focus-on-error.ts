"use client";

import { useEffect, useRef } from "react";
import type { TFormState } from "./form-state";

/**
 * After a refused submit, moves keyboard focus to the first invalid field, or to the form's message
 * (`[data-form-message]`) when no field is to blame, so nobody has to hunt for what went wrong.
 */
export function useFocusOnError(state: TFormState<unknown>) {
  const formRef = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (state.status !== "error") return;
    const form = formRef.current;
    const target = form?.querySelector<HTMLElement>('[aria-invalid="true"]') ?? form?.querySelector<HTMLElement>("[data-form-message] [tabindex]");
    target?.focus();
  }, [state]);
  return formRef;
}
