import Link from "next/link";
import { DateText } from "@/components/ui/date-text";

export type TRecentAgent = { id: string; href: string; name: string; model: string; version: number; updatedAt: Date };

/** A few of the team's agents, for the overview: name, model, version and when it last changed. */
export function RecentAgents({ agents }: { agents: TRecentAgent[] }) {
  return (
    <ul aria-label="Recent agents" className="-my-2 divide-y divide-zinc-200 dark:divide-zinc-800">
      {agents.map((agent) => (
        <li key={agent.id} className="flex flex-col gap-0.5 py-2.5 sm:flex-row sm:items-center sm:justify-between sm:gap-4">
          <Link href={agent.href} className="truncate font-medium text-brand-700 underline-offset-4 hover:underline dark:text-brand-300">
            {agent.name}
          </Link>
          <p className="flex shrink-0 flex-wrap gap-x-2 text-sm text-zinc-600 dark:text-zinc-400">
            <span className="max-w-56 truncate font-mono text-xs leading-5">{agent.model}</span>
            <span aria-hidden="true">·</span>
            <span>v{agent.version}</span>
            <span aria-hidden="true">·</span>
            <span>
              updated <DateText date={agent.updatedAt} />
            </span>
          </p>
        </li>
      ))}
    </ul>
  );
}
