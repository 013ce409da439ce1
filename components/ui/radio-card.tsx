import type { ReactNode } from "react";

/**
 * A radio button drawn as a card (environment and credential forms): title and description are
 * its label; the focus ring goes around the card.
 */
export function RadioCard({
  name,
  value,
  checked,
  disabled,
  onChange,
  title,
  description,
}: {
  name: string;
  value: string;
  checked: boolean;
  disabled?: boolean;
  onChange: () => void;
  title: ReactNode;
  description: ReactNode;
}) {
  const id = `${name}-${value}`;
  return (
    <label
      htmlFor={id}
      className={`flex cursor-pointer items-start gap-3 rounded-lg border p-3.5 has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-offset-2 has-[:focus-visible]:outline-brand-500 has-[:disabled]:cursor-not-allowed has-[:disabled]:opacity-70 ${
        checked ? "border-brand-500 bg-brand-50/60 dark:border-brand-300 dark:bg-zinc-800" : "border-zinc-300 dark:border-zinc-700"
      }`}
    >
      <input id={id} type="radio" name={name} value={value} checked={checked} disabled={disabled} onChange={onChange} className="mt-0.5 size-4 shrink-0 accent-brand-600 focus-visible:outline-none" />
      <span className="flex flex-col gap-0.5">
        <span className="text-sm font-medium">{title}</span>
        <span className="text-sm text-zinc-600 dark:text-zinc-400">{description}</span>
      </span>
    </label>
  );
}
