"use client";

import Link from "next/link";
import type { ReactNode } from "react";
import { Alert } from "@/components/ui/alert";
import { Button, buttonClasses } from "@/components/ui/button";
import type { useFormAction } from "./use-form-action";

type TFormAction = ReturnType<typeof useFormAction<unknown>>;

type TProps = {
  /** What `useFormAction` returned for this form. */
  form: Pick<TFormAction, "state" | "pending" | "formRef" | "onEdit" | "submit" | "message">;
  /** The form's accessible name. */
  label: string;
  /** Shown instead of every other message while it is given (e.g. a conflicting edit). */
  alert?: ReactNode;
  /** What a success says; without it a success shows nothing (the action navigates away). */
  saved?: ReactNode;
  /** A message before the first submit, e.g. after the thing was created. */
  notice?: string;
  /** A read-only form is shown without its buttons (its fields are disabled by the caller's fieldset). */
  readOnly?: boolean;
  cancelHref?: string;
  submitLabel: string;
  pendingLabel: string;
  children: ReactNode;
};

/**
 * The frame of a resource's form (agent, environment, vault, credential): the form driven by a
 * server action, the form-level message (announced politely; error, then success, then notice),
 * the fields, and the Cancel / submit row.
 */
export function FormFrame({ form, label, alert, saved, notice, readOnly = false, cancelHref, submitLabel, pendingLabel, children }: TProps) {
  const { state, pending, formRef, onEdit, submit, message } = form;
  return (
    <form ref={formRef} onChange={onEdit} onSubmit={submit} noValidate className="flex flex-col gap-6" aria-label={label}>
      <div data-form-message aria-live="polite" className="empty:hidden">
        {alert ? (
          alert
        ) : message ? (
          <Alert tone="error">{message}</Alert>
        ) : state.status === "success" && saved !== undefined ? (
          <Alert tone="success">{saved}</Alert>
        ) : notice && state.status === "idle" ? (
          <Alert tone="success">{notice}</Alert>
        ) : null}
      </div>
      {children}
      {readOnly ? null : (
        <div className="flex flex-col-reverse gap-3 border-t border-zinc-200 pt-5 sm:flex-row sm:items-center sm:justify-end dark:border-zinc-800">
          {cancelHref ? (
            <Link href={cancelHref} className={buttonClasses("ghost")}>
              Cancel
            </Link>
          ) : null}
          <Button type="submit" pending={pending} pendingLabel={pendingLabel}>
            {submitLabel}
          </Button>
        </div>
      )}
    </form>
  );
}
