import type { InputHTMLAttributes, ReactNode, TextareaHTMLAttributes } from "react";
import { FieldFrame, INPUT_CLASSES } from "@/components/ui/text-field";

type TTextAreaFieldProps = Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, "id" | "name"> & {
  name: string;
  label: ReactNode;
  id?: string;
  hint?: ReactNode;
  error?: string;
};

/** A multi-line text field in the look of TextField: label, hint and error tied to the control. */
export function TextAreaField({ name, label, id = name, hint, error, className = "", ...rest }: TTextAreaFieldProps) {
  return (
    <FieldFrame id={id} label={label} hint={hint} error={error}>
      {(describedBy) => (
        <textarea
          id={id}
          name={name}
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy}
          className={`${INPUT_CLASSES} min-h-24 resize-y ${className}`.trim()}
          {...rest}
        />
      )}
    </FieldFrame>
  );
}

type TCheckboxFieldProps = Omit<InputHTMLAttributes<HTMLInputElement>, "id" | "name" | "type"> & {
  name: string;
  label: ReactNode;
  id?: string;
  hint?: ReactNode;
  error?: string;
};

/** A checkbox with its label to the right and an optional hint and error below. */
export function CheckboxField({ name, label, id = name, hint, error, ...rest }: TCheckboxFieldProps) {
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  return (
    <div className="flex items-start gap-3">
      <input
        id={id}
        name={name}
        type="checkbox"
        aria-invalid={error ? true : undefined}
        aria-describedby={[errorId, hintId].filter(Boolean).join(" ") || undefined}
        className="mt-0.5 size-4 shrink-0 rounded border-zinc-300 accent-brand-600 dark:border-zinc-700"
        {...rest}
      />
      <div className="flex flex-col gap-0.5">
        <label htmlFor={id} className="text-sm font-medium text-zinc-800 dark:text-zinc-200">
          {label}
        </label>
        {hint ? (
          <p id={hintId} className="text-sm text-zinc-500 dark:text-zinc-400">
            {hint}
          </p>
        ) : null}
        {error ? (
          <p id={errorId} className="flex items-start gap-1.5 text-sm text-red-700 dark:text-red-400">
            <span aria-hidden="true">⚠</span>
            <span>{error}</span>
          </p>
        ) : null}
      </div>
    </div>
  );
}

/** A fieldset with a visible legend and an optional description, for a group of related fields. */
export function FormSection({ legend, description, children, error, id }: { legend: ReactNode; description?: ReactNode; children: ReactNode; error?: string; id?: string }) {
  return (
    <fieldset id={id} className="flex min-w-0 flex-col gap-4 border-t border-zinc-200 pt-5 dark:border-zinc-800">
      <legend className="float-left w-full">
        <span className="block font-semibold">{legend}</span>
        {description ? <span className="mt-1 block text-sm font-normal text-zinc-600 dark:text-zinc-400">{description}</span> : null}
      </legend>
      {error ? (
        <p role="alert" className="flex items-start gap-1.5 text-sm text-red-700 dark:text-red-400">
          <span aria-hidden="true">⚠</span>
          <span>{error}</span>
        </p>
      ) : null}
      {children}
    </fieldset>
  );
}

/** A small pill for states such as "Archived" or "Current". */
export function Badge({ tone = "neutral", children }: { tone?: "neutral" | "brand" | "warning"; children: ReactNode }) {
  const tones = {
    neutral: "bg-zinc-100 text-zinc-700 ring-zinc-300 dark:bg-zinc-800 dark:text-zinc-300 dark:ring-zinc-700",
    brand: "bg-brand-50 text-brand-700 ring-brand-300 dark:bg-zinc-800 dark:text-brand-300 dark:ring-zinc-700",
    warning: "bg-amber-50 text-amber-800 ring-amber-300 dark:bg-amber-950 dark:text-amber-300 dark:ring-amber-800",
  } as const;
  return <span className={`inline-flex items-center rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${tones[tone]}`}>{children}</span>;
}
