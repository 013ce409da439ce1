"use client";

import { useCallback, useMemo, useState, type FormEvent } from "react";
import { withoutFieldErrors, type TFormState } from "./form-state";
import { useFocusOnError } from "./use-focus-on-error";

const NONE: ReadonlySet<string> = new Set();

/**
 * What a form shows of its action's answer. After a refused submit, focus moves to the first
 * invalid field (`useFocusOnError`); then a field's error goes away as soon as that field is edited,
 * since an error about what is no longer there misleads. The other fields' errors, the form's
 * message and the values typed stay until the next submit.
 *
 * Give the form `formRef` and `onChange={onEdit}`, and render from the returned `state`; `answer`
 * is the action's answer itself, the same object until the next submit (for what must be tied to
 * one submit, not to edits since). `onEdit` is a React handler on purpose: React batches it with
 * the field's own onChange, whereas a state update from a native listener would re-render a
 * controlled field before its onChange ran, putting its old value back.
 */
export function useFormFeedback<T>(submitted: TFormState<T>) {
  const formRef = useFocusOnError(submitted);
  const [edited, setEdited] = useState<{ answer: TFormState<T>; fields: ReadonlySet<string> }>({ answer: submitted, fields: NONE });
  const onEdit = useCallback(
    (event: FormEvent<HTMLFormElement>) => {
      const name = (event.target as { name?: unknown }).name;
      if (submitted.status !== "error" || typeof name !== "string" || !submitted.fieldErrors?.[name]) return;
      setEdited((current) => ({ answer: submitted, fields: new Set([...(current.answer === submitted ? current.fields : []), name]) }));
    },
    [submitted],
  );
  const fields = edited.answer === submitted ? edited.fields : NONE;
  const state = useMemo(() => withoutFieldErrors(submitted, fields), [submitted, fields]);
  return { formRef, onEdit, state, answer: submitted };
}
