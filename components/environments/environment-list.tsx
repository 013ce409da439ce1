import { DataTable, NameCell, type TColumn } from "@/components/ui/data-table";
import { DateText } from "@/components/ui/date-text";

export type TEnvironmentRow = { id: string; href: string; name: string; description: string | null; sandbox: string; network: string; packages: string; updatedAt: Date; archived: boolean };

const ENVIRONMENT_COLUMNS: TColumn<TEnvironmentRow>[] = [
  {
    header: "Name",
    className: "max-w-0 sm:w-2/5",
    cell: (env) => <NameCell href={env.href} name={env.name} archived={env.archived} description={env.description} details={`${env.sandbox} · ${env.network}`} />,
  },
  { header: "Sandbox", visibleFrom: "sm", className: "whitespace-nowrap", cell: (env) => env.sandbox },
  { header: "Network", visibleFrom: "sm", cell: (env) => env.network },
  { header: "Packages", visibleFrom: "lg", className: "font-mono text-xs leading-5", cell: (env) => env.packages },
  { header: "Updated", visibleFrom: "md", align: "right", className: "whitespace-nowrap text-zinc-600 dark:text-zinc-400", cell: (env) => <DateText date={env.updatedAt} /> },
];

/** The team's environments as a table; on narrow screens the details move under the name. */
export function EnvironmentList({ environments, caption }: { environments: TEnvironmentRow[]; caption: string }) {
  return <DataTable rows={environments} columns={ENVIRONMENT_COLUMNS} caption={caption} />;
}
