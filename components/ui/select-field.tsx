import type { ReactNode, SelectHTMLAttributes } from "react";
import { FieldFrame, INPUT_CLASSES } from "./text-field";

type TSelectFieldProps = Omit<SelectHTMLAttributes<HTMLSelectElement>, "id" | "name"> & {
  name: string;
  label: ReactNode;
  id?: string;
  hint?: ReactNode;
  error?: string;
  options: ReadonlyArray<{ value: string; label: string }>;
};

export function SelectField({ name, label, id = name, hint, error, options, className = "", ...rest }: TSelectFieldProps) {
  return (
    <FieldFrame id={id} label={label} hint={hint} error={error}>
      {(describedBy) => (
        <select id={id} name={name} aria-invalid={error ? true : undefined} aria-describedby={describedBy} className={`${INPUT_CLASSES} ${className}`.trim()} {...rest}>
          {options.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
      )}
    </FieldFrame>
  );
}
