import { DataTable, NameCell, type TColumn } from "@/components/ui/data-table";
import { DateTimeText } from "@/components/ui/date-text";
import { DeploymentStatus, type TDeploymentStatus } from "./deployment-status";

export type TDeploymentRow = {
  id: string;
  href: string;
  name: string;
  agent: string;
  environment: string;
  /** `0 9 * * 1-5 (Europe/Paris)`, or null when it only runs on demand. */
  schedule: string | null;
  status: TDeploymentStatus;
  nextRuns: Date[];
};

const COLUMNS: TColumn<TDeploymentRow>[] = [
  {
    header: "Deployment",
    className: "max-w-0 sm:w-1/5",
    cell: (d) => <NameCell href={d.href} name={d.name} archived={d.status === "archived"} code={d.id} details={`${d.agent} · ${d.environment}`} />,
  },
  { header: "Agent", visibleFrom: "sm", className: "max-w-0 truncate text-zinc-600 sm:w-1/6 dark:text-zinc-400", cell: (d) => d.agent },
  { header: "Environment", visibleFrom: "md", className: "max-w-0 truncate text-zinc-600 md:w-1/6 dark:text-zinc-400", cell: (d) => d.environment },
  { header: "Schedule", visibleFrom: "sm", className: "font-mono text-xs text-zinc-600 dark:text-zinc-400", cell: (d) => d.schedule ?? "On demand" },
  { header: "Status", cell: (d) => (d.status === "archived" ? "—" : <DeploymentStatus status={d.status} />) },
  {
    header: "Next runs",
    visibleFrom: "md",
    align: "right",
    className: "whitespace-nowrap text-zinc-600 dark:text-zinc-400",
    cell: (d) =>
      d.nextRuns.length === 0 ? (
        "—"
      ) : (
        <ul>
          {d.nextRuns.map((at) => (
            <li key={at.toISOString()}>
              <DateTimeText date={at} />
            </li>
          ))}
        </ul>
      ),
  },
];

/** The team's deployments as a table: name, agent, environment, schedule, status, next runs. */
export function DeploymentList({ deployments, caption }: { deployments: TDeploymentRow[]; caption: string }) {
  return <DataTable rows={deployments} columns={COLUMNS} caption={caption} />;
}
