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
