import Link from "next/link";
import type { TSessionRow } from "@/lib/sessions/ui/session-row";
import { DateText } from "@/components/ui/date-text";
import { SessionStatusBadge } from "./status-badge";

/** Sessions as rows: title (the link), agent, when it started and its status. */
export function SessionList({ sessions, label = "Sessions" }: { sessions: TSessionRow[]; label?: string }) {
  return (
    <ul aria-label={label} className="-my-2 divide-y divide-zinc-200 dark:divide-zinc-800">
      {sessions.map((session) => (
        <li key={session.id} className="relative flex flex-col gap-1.5 py-3 sm:flex-row sm:items-center sm:justify-between sm:gap-4">
          <div className="flex min-w-0 flex-col gap-0.5">
            <Link href={session.href} className="truncate font-medium after:absolute after:inset-0 hover:text-brand-700 dark:hover:text-brand-300">
              {session.title || <span className="text-zinc-500 italic dark:text-zinc-400">Untitled session</span>}
            </Link>
            <p className="truncate text-sm text-zinc-600 dark:text-zinc-400">
              {session.agentName ?? "Agent"} · started <DateText date={session.createdAt} /> · <span className="font-mono text-xs">{session.id}</span>
            </p>
          </div>
          <SessionStatusBadge status={session.status} />
        </li>
      ))}
    </ul>
  );
}
