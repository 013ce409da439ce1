import Link from "next/link";
import type { TSessionListRow } from "@/lib/sessions/ui/list-session-rows";
import { titleFromFirstMessage } from "@/lib/sessions/ui/list-session-rows";
import type { TSessionRow } from "@/lib/sessions/ui/session-row";
import { COST_ESTIMATE_LABEL, formatUsd } from "@/lib/timeline/estimate-cost";
import { DateText } from "@/components/ui/date-text";
import { SessionStatusBadge } from "./status-badge";
import { SessionTitleEditor, type TRenameResult } from "./session-title-editor";

/** A row: what every list knows of a session, and what the sessions list adds (who, cost, first message). */
type TRow = TSessionRow & Partial<Pick<TSessionListRow, "firstMessage" | "startedBy" | "costUsd">>;

type TProps = {
  sessions: TRow[];
  label?: string;
  /** Renames a session in place; without it titles are links only. */
  rename?: (input: { sessionId: string; title: string }) => Promise<TRenameResult>;
};

/**
 * Sessions as rows: the title (the link; an untitled session shows its first message), agent, who
 * started it, when, its cost, and its status. With `rename`, each title can be edited in place.
 */
export function SessionList({ sessions, label = "Sessions", rename }: TProps) {
  return (
    <ul aria-label={label} className="-my-2 divide-y divide-zinc-200 dark:divide-zinc-800">
      {sessions.map((session) => {
        const fallback = titleFromFirstMessage(session.firstMessage ?? null);
        return (
          <li
            key={session.id}
            data-session-id={session.id}
            className="relative flex flex-col gap-1.5 py-3 sm:flex-row sm:items-center sm:justify-between sm:gap-4"
          >
            <div className="flex min-w-0 flex-col gap-0.5">
              {rename ? (
                <SessionTitleEditor sessionId={session.id} href={session.href} title={session.title} fallback={fallback} rename={rename} />
              ) : (
                <Link href={session.href} className="truncate font-medium after:absolute after:inset-0 hover:text-brand-700 dark:hover:text-brand-300">
                  {session.title || fallback || <span className="text-zinc-500 italic dark:text-zinc-400">Untitled session</span>}
                </Link>
              )}
              <p className="text-sm text-zinc-600 sm:truncate dark:text-zinc-400">
                <span data-testid="session-agent">{session.agentName ?? "Agent"}</span>
                {session.startedBy !== undefined ? (
                  <>
                    {" · "}
                    <span data-testid="session-starter">{starterText(session.startedBy)}</span>
                  </>
                ) : null}{" "}
                · started <DateText date={session.createdAt} />
                {session.costUsd !== undefined ? (
                  <>
                    {" · "}
                    <span data-testid="session-cost" title={COST_ESTIMATE_LABEL}>
                      {session.costUsd === null ? "cost unknown" : formatUsd(session.costUsd)}
                    </span>
                  </>
                ) : null}{" "}
                · <span className="font-mono text-xs">{session.id}</span>
              </p>
            </div>
            <span className="self-start sm:self-auto">
              <SessionStatusBadge status={session.status} />
            </span>
          </li>
        );
      })}
    </ul>
  );
}

function starterText(starter: TSessionListRow["startedBy"] | undefined): string {
  if (!starter) return "by unknown";
  if (starter.kind === "api_key") return `by API key ${starter.name ?? "(deleted)"}`;
  return `by ${starter.name ?? "a former member"}`;
}
