import type { InputHTMLAttributes, ReactNode } from "react";

export const INPUT_CLASSES =
  "block w-full rounded-lg border border-zinc-300 bg-white px-3 py-2 text-sm text-zinc-900 shadow-xs placeholder:text-zinc-400 disabled:opacity-60 aria-invalid:border-red-600 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100 dark:aria-invalid:border-red-500";

type TFieldFrameProps = { id: string; label: ReactNode; hint?: ReactNode; error?: string; children: (describedBy: string | undefined) => ReactNode };

/** A label, an optional hint, the control and its error message, tied together for assistive technology. */
export function FieldFrame({ id, label, hint, error, children }: TFieldFrameProps) {
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [errorId, hintId].filter(Boolean).join(" ") || undefined;
  return (
    <div className="flex flex-col gap-1.5">
      <label htmlFor={id} className="text-sm font-medium text-zinc-800 dark:text-zinc-200">
        {label}
      </label>
      {children(describedBy)}
      {error ? (
        <p id={errorId} className="flex items-start gap-1.5 text-sm text-red-700 dark:text-red-400">
          <span aria-hidden="true">⚠</span>
          <span>{error}</span>
        </p>
      ) : null}
      {hint ? (
        <p id={hintId} className="text-sm text-zinc-500 dark:text-zinc-400">
          {hint}
        </p>
      ) : null}
    </div>
  );
}

type TTextFieldProps = Omit<InputHTMLAttributes<HTMLInputElement>, "id" | "name"> & {
  name: string;
  label: ReactNode;
  /** Defaults to the name; give one when two forms on a page share a field name. */
  id?: string;
  hint?: ReactNode;
  error?: string;
};

export function TextField({ name, label, id = name, hint, error, type = "text", className = "", ...rest }: TTextFieldProps) {
  return (
    <FieldFrame id={id} label={label} hint={hint} error={error}>
      {(describedBy) => (
        <input
          id={id}
          name={name}
          type={type}
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy}
          className={`${INPUT_CLASSES} ${className}`.trim()}
          {...rest}
        />
      )}
    </FieldFrame>
  );
}
