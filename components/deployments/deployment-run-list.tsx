import Link from "next/link";
import { EmptyState } from "@/components/ui/card";
import { DateTimeText } from "@/components/ui/date-text";

export type TDeploymentRunRow = { id: string; createdAt: Date; trigger: string; sessionHref: string | null; sessionId: string | null; error: string | null };

/** A deployment's runs, newest first: when, what started it, the session it created or why none was. */
export function DeploymentRunList({ runs }: { runs: TDeploymentRunRow[] }) {
  if (runs.length === 0) return <EmptyState title="No runs yet">Run it now, or wait for its schedule.</EmptyState>;
  return (
    <div className="-mx-5 overflow-x-auto">
      <table aria-label="Runs" className="w-full text-left text-sm">
        <thead className="border-b border-zinc-200 text-xs font-medium text-zinc-500 uppercase dark:border-zinc-800 dark:text-zinc-400">
          <tr>
            <th scope="col" className="py-2 pr-3 pl-5 font-medium">
              Started
            </th>
            <th scope="col" className="py-2 pr-3 font-medium">
              Trigger
            </th>
            <th scope="col" className="py-2 pr-5 font-medium">
              Session
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
          {runs.map((run) => (
            <tr key={run.id} data-run={run.id}>
              <td className="py-2 pr-3 pl-5 align-top whitespace-nowrap">
                <DateTimeText date={run.createdAt} />
                <span className="block font-mono text-xs text-zinc-500">{run.id}</span>
              </td>
              <td className="py-2 pr-3 align-top">{run.trigger}</td>
              <td className="py-2 pr-5 align-top">
                {run.sessionHref ? (
                  <Link href={run.sessionHref} className="font-mono text-xs text-brand-700 underline-offset-4 hover:underline dark:text-brand-300">
                    {run.sessionId}
                  </Link>
                ) : run.error ? (
                  <span className="text-red-700 dark:text-red-400">{run.error}</span>
                ) : (
                  <span className="text-zinc-500">Starting…</span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
