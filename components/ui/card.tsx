import type { ReactNode } from "react";

/** A titled section in the look of the home page: white card, hairline border, header row. */
export function Card({ title, titleId, description, actions, children }: { title: ReactNode; titleId: string; description?: ReactNode; actions?: ReactNode; children: ReactNode }) {
  return (
    <section aria-labelledby={titleId} className="rounded-xl border border-zinc-200 bg-white shadow-sm dark:border-zinc-800 dark:bg-zinc-900">
      <header className="flex flex-wrap items-start justify-between gap-3 border-b border-zinc-200 px-5 py-4 dark:border-zinc-800">
        <div className="flex flex-col gap-1">
          <h2 id={titleId} className="font-semibold">
            {title}
          </h2>
          {description ? <p className="text-sm text-zinc-600 dark:text-zinc-400">{description}</p> : null}
        </div>
        {actions}
      </header>
      <div className="px-5 py-4">{children}</div>
    </section>
  );
}

export function EmptyState({ title, children, icon }: { title: ReactNode; children?: ReactNode; icon?: ReactNode }) {
  return (
    <div className="flex flex-col items-center gap-2 rounded-lg border border-dashed border-zinc-300 px-6 py-10 text-center dark:border-zinc-700">
      {icon ? (
        <span aria-hidden="true" className="text-zinc-400 dark:text-zinc-500">
          {icon}
        </span>
      ) : null}
      <p className="font-medium">{title}</p>
      {children ? <div className="max-w-md text-sm text-zinc-600 dark:text-zinc-400">{children}</div> : null}
    </div>
  );
}

export function RoleBadge({ role }: { role: string }) {
  const owner = role === "owner";
  return (
    <span
      className={`rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${
        owner
          ? "bg-brand-50 text-brand-700 ring-brand-300 dark:bg-zinc-800 dark:text-brand-300 dark:ring-zinc-700"
          : "bg-zinc-100 text-zinc-700 ring-zinc-300 dark:bg-zinc-800 dark:text-zinc-300 dark:ring-zinc-700"
      }`}
    >
      {owner ? "Owner" : "Member"}
    </span>
  );
}
