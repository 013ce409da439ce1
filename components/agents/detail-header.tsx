import type { ReactNode } from "react";

/** The top of an agent's or environment's page: its name, state badges, a line of facts, and actions. */
export function DetailHeader({ title, badges, meta, actions }: { title: ReactNode; badges?: ReactNode; meta?: ReactNode; actions?: ReactNode }) {
  return (
    <div className="flex flex-col gap-4 lg:flex-row lg:items-start lg:justify-between">
      <div className="flex min-w-0 flex-col gap-1.5">
        <div className="flex flex-wrap items-center gap-2">
          <h2 className="min-w-0 text-xl font-semibold tracking-tight break-words">{title}</h2>
          {badges}
        </div>
        {meta ? <p className="text-sm break-words text-zinc-600 dark:text-zinc-400">{meta}</p> : null}
      </div>
      {actions ? <div className="flex flex-wrap items-start gap-2 lg:justify-end">{actions}</div> : null}
    </div>
  );
}
