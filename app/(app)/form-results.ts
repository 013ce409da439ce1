import type { z } from "zod";
import { AppError } from "@/lib/errors";
import { log } from "@/lib/log";
import { fieldErrorsOf } from "@/lib/auth/schemas";
import type { TFormState } from "@/components/forms/form-state";

// How server actions answer their forms: refused input field by field, domain errors as the
// message the person may see, anything unexpected as a generic message (and a log line).

export function invalidInput(error: z.ZodError, values: Record<string, string>): TFormState<never> {
  return { status: "error", fieldErrors: fieldErrorsOf(error), values };
}

const SHOWN: ReadonlySet<string> = new Set(["invalid_request", "conflict", "forbidden", "not_found"]);

export function refused(error: unknown, values: Record<string, string> = {}): TFormState<never> {
  if (error instanceof AppError && SHOWN.has(error.code)) {
    const field = typeof error.details?.field === "string" ? error.details.field : undefined;
    return field ? { status: "error", fieldErrors: { [field]: error.message }, values } : { status: "error", message: error.message, values };
  }
  log.error("form action failed", { error });
  return { status: "error", message: "Something went wrong. Please try again.", values };
}

/** The submitted text fields, to show them again next to the errors. */
export function textValues(formData: FormData, fields: readonly string[]): Record<string, string> {
  return Object.fromEntries(fields.map((field) => [field, String(formData.get(field) ?? "")]));
}
