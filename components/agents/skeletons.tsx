/**
 * Placeholders in the shape of the agents and environments pages while they load, announced once
 * to screen readers ("Loading agents…") and otherwise hidden from them.
 */
export function ListSkeleton({ label, rows = 4 }: { label: string; rows?: number }) {
  return (
    <div role="status" aria-live="polite" className="rounded-xl border border-zinc-200 bg-white shadow-sm dark:border-zinc-800 dark:bg-zinc-900">
      <span className="sr-only">{label}</span>
      <div aria-hidden="true" className="animate-pulse">
        <div className="flex items-start justify-between gap-3 border-b border-zinc-200 px-5 py-4 dark:border-zinc-800">
          <div className="flex flex-col gap-2">
            <div className="h-4 w-28 rounded bg-zinc-200 dark:bg-zinc-800" />
            <div className="h-3 w-64 max-w-full rounded bg-zinc-100 dark:bg-zinc-800/60" />
          </div>
          <div className="h-9 w-28 rounded-lg bg-zinc-200 dark:bg-zinc-800" />
        </div>
        <div className="flex flex-col gap-4 px-5 py-4">
          <div className="h-8 w-56 rounded-lg bg-zinc-100 dark:bg-zinc-800/60" />
          {Array.from({ length: rows }, (_, i) => (
            <div key={i} className="flex items-center justify-between gap-4">
              <div className="h-4 w-40 rounded bg-zinc-200 dark:bg-zinc-800" />
              <div className="h-4 w-16 rounded bg-zinc-100 dark:bg-zinc-800/60" />
            </div>
          ))}
        </div>
      </div>
    </div>
  );
}

export function FormSkeleton({ label }: { label: string }) {
  return (
    <div role="status" aria-live="polite" className="flex flex-col gap-6">
      <span className="sr-only">{label}</span>
      <div aria-hidden="true" className="flex animate-pulse flex-col gap-6">
        <div className="h-4 w-20 rounded bg-zinc-200 dark:bg-zinc-800" />
        <div className="flex flex-col gap-2">
          <div className="h-6 w-56 rounded bg-zinc-200 dark:bg-zinc-800" />
          <div className="h-4 w-80 max-w-full rounded bg-zinc-100 dark:bg-zinc-800/60" />
        </div>
        <div className="flex flex-col gap-5 rounded-xl border border-zinc-200 bg-white p-5 dark:border-zinc-800 dark:bg-zinc-900">
          <div className="grid gap-5 sm:grid-cols-2">
            <div className="h-16 rounded-lg bg-zinc-100 dark:bg-zinc-800/60" />
            <div className="h-16 rounded-lg bg-zinc-100 dark:bg-zinc-800/60" />
          </div>
          <div className="h-16 rounded-lg bg-zinc-100 dark:bg-zinc-800/60" />
          <div className="h-40 rounded-lg bg-zinc-100 dark:bg-zinc-800/60" />
        </div>
      </div>
    </div>
  );
}
