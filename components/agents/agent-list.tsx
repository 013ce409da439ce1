import { DataTable, NameCell, type TColumn } from "@/components/ui/data-table";
import { DateText } from "@/components/ui/date-text";

export type TAgentRow = { id: string; href: string; name: string; description: string | null; model: string; version: number; updatedAt: Date; archived: boolean };

const AGENT_COLUMNS: TColumn<TAgentRow>[] = [
  {
    header: "Name",
    className: "max-w-0 sm:w-1/2",
    cell: (agent) => <NameCell href={agent.href} name={agent.name} archived={agent.archived} description={agent.description} details={<span className="font-mono">{agent.model}</span>} />,
  },
  { header: "Model", visibleFrom: "sm", className: "max-w-0", cell: (agent) => <span className="block truncate font-mono text-xs leading-5">{agent.model}</span> },
  { header: "Version", align: "right", className: "whitespace-nowrap tabular-nums", cell: (agent) => `v${agent.version}` },
  { header: "Updated", visibleFrom: "md", align: "right", className: "whitespace-nowrap text-zinc-600 dark:text-zinc-400", cell: (agent) => <DateText date={agent.updatedAt} /> },
];

/** The team's agents as a table; on narrow screens the model and date move under the name. */
export function AgentList({ agents, caption }: { agents: TAgentRow[]; caption: string }) {
  return <DataTable rows={agents} columns={AGENT_COLUMNS} caption={caption} />;
}
