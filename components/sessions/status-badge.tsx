import type { TSessionStatus } from "@/lib/event-log/fold";

const STYLES: Record<TSessionStatus, { label: string; classes: string; dot: string }> = {
  running: {
    label: "Running",
    classes: "bg-brand-50 text-brand-700 ring-brand-300 dark:bg-zinc-800 dark:text-brand-300 dark:ring-zinc-700",
    dot: "bg-brand-500 animate-pulse",
  },
  idle: { label: "Idle", classes: "bg-zinc-100 text-zinc-700 ring-zinc-300 dark:bg-zinc-800 dark:text-zinc-300 dark:ring-zinc-700", dot: "bg-zinc-400" },
  rescheduling: {
    label: "Rescheduling",
    classes: "bg-amber-50 text-amber-800 ring-amber-300 dark:bg-amber-950 dark:text-amber-200 dark:ring-amber-800",
    dot: "bg-amber-500",
  },
  terminated: { label: "Terminated", classes: "bg-zinc-100 text-zinc-500 ring-zinc-200 dark:bg-zinc-900 dark:text-zinc-400 dark:ring-zinc-800", dot: "bg-zinc-300" },
};

/** A session's status as a pill; `label` overrides the words (e.g. "Idle: waiting for input"). */
export function SessionStatusBadge({ status, label }: { status: TSessionStatus; label?: string }) {
  const style = STYLES[status];
  return (
    <span data-status={status} className={`inline-flex shrink-0 items-center gap-1.5 rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${style.classes}`}>
      <span aria-hidden="true" className={`size-1.5 rounded-full ${style.dot}`} />
      {label ?? style.label}
    </span>
  );
}
