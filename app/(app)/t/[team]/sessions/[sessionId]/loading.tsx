/** Shown while the session's log loads (the session itself was found by the layout). */
export default function Loading() {
  return (
    <div role="status" aria-live="polite" className="flex flex-col gap-4">
      <span className="sr-only">Loading the session…</span>
      <div aria-hidden="true" className="animate-pulse rounded-xl border border-zinc-200 bg-white px-5 py-4 dark:border-zinc-800 dark:bg-zinc-900">
        <div className="h-5 w-48 rounded bg-zinc-200 dark:bg-zinc-800" />
        <div className="mt-3 h-3 w-72 rounded bg-zinc-100 dark:bg-zinc-800/60" />
      </div>
      <div aria-hidden="true" className="h-[min(60vh,44rem)] min-h-80 animate-pulse rounded-xl border border-zinc-200 bg-zinc-50/60 dark:border-zinc-800 dark:bg-zinc-950/40" />
    </div>
  );
}
