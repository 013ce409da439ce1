import type { z } from "zod";
import { AppError } from "@/lib/errors";

/**
 * Errors of the web forms, field by field. Form inputs are named with dotted keys (`name`,
 * `custom.0.input_schema`, `packages.pip`); a message about something inside a field (a JSON
 * schema's `type`) says where, relative to the field: `input_schema.type: must be "object"…`.
 */
export type TFieldTarget = { field: string; inner: string };

const labelOf = (field: string) => field.split(".").at(-1)!;

function relative(target: TFieldTarget, text: string): string {
  return target.inner ? `${labelOf(target.field)}${target.inner}: ${text}` : text;
}

/**
 * The first message for each field of a form schema's failed parse. `keyLength` says how many path
 * segments name the field (3 for `custom.0.input_schema`, 1 for `name`); the rest is inside it.
 */
export function issueFieldErrors(error: z.ZodError, keyLength: (path: readonly PropertyKey[]) => number = () => 1): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of error.issues) {
    const length = Math.min(keyLength(issue.path), issue.path.length);
    const field = issue.path.slice(0, length).map(String).join(".");
    if (!field || field in out) continue;
    out[field] = relative({ field, inner: innerPath(issue.path.slice(length)) }, issue.message);
  }
  return out;
}

/** `["type"]` → `.type`, `[2, "name"]` → `[2].name`. */
function innerPath(path: readonly PropertyKey[]): string {
  return path.map((part) => (typeof part === "number" ? `[${part}]` : `.${String(part)}`)).join("");
}

/**
 * An error of a use-case, for a form: an AppError whose `details.path` (the API's name of the bad
 * field, `tools[2].input_schema.type`) is a field of the form gets `details.field` and a message
 * relative to that field, which is how the app's actions put an error next to its field.
 * Anything else is returned as it is.
 */
export function withFormField(error: unknown, fieldOf: (path: string) => TFieldTarget | null): unknown {
  if (!(error instanceof AppError)) return error;
  const path = error.details?.path;
  if (typeof path !== "string") return error;
  const target = fieldOf(path);
  if (!target) return error;
  const text = error.message.startsWith(`${path}: `) ? error.message.slice(path.length + 2) : error.message;
  return new AppError(error.code, relative(target, text), { ...error.details, field: target.field });
}
