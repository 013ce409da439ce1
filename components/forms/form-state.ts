/**
 * What a form's action answers: nothing yet, an error (a message for the whole form and/or one per
 * field, plus what was typed so the form can show it again), or success with its result.
 */
export type TFormState<TData = undefined> =
  | { status: "idle" }
  | { status: "error"; message?: string; fieldErrors?: Record<string, string>; values?: Record<string, string> }
  | { status: "success"; message?: string; data: TData };

export const IDLE: TFormState<never> = { status: "idle" };

export type TFormAction<TData = undefined> = (previous: TFormState<TData>, formData: FormData) => Promise<TFormState<TData>>;

export function fieldError(state: TFormState<unknown>, field: string): string | undefined {
  return state.status === "error" ? state.fieldErrors?.[field] : undefined;
}

export function valueOf(state: TFormState<unknown>, field: string): string | undefined {
  return state.status === "error" ? state.values?.[field] : undefined;
}

export function formMessage(state: TFormState<unknown>): string | undefined {
  return state.status === "error" ? state.message : undefined;
}

/** `state` without the errors of `fields` (the fields edited since it was answered); the same object when there is nothing to drop. */
export function withoutFieldErrors<T>(state: TFormState<T>, fields: ReadonlySet<string>): TFormState<T> {
  if (state.status !== "error" || !state.fieldErrors || fields.size === 0) return state;
  const fieldErrors = Object.fromEntries(Object.entries(state.fieldErrors).filter(([field]) => !fields.has(field)));
  return { ...state, fieldErrors };
}
