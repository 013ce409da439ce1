import { DataTable, NameCell, type TColumn } from "@/components/ui/data-table";
import { DateText } from "@/components/ui/date-text";

/** A credential as a list shows it: its public part only (secrets never reach a page). */
export type TCredentialRow = {
  id: string;
  href: string;
  name: string;
  type: string;
  target: string;
  hosts: string;
  createdAt: Date;
  updatedAt: Date;
  archived: boolean;
};

const DATE_CLASSES = "whitespace-nowrap text-zinc-600 dark:text-zinc-400";

const CREDENTIAL_COLUMNS: TColumn<TCredentialRow>[] = [
  {
    header: "Name",
    className: "max-w-0 sm:w-2/5",
    cell: (c) => <NameCell href={c.href} name={c.name} archived={c.archived} code={c.target} details={`${c.type} · ${c.hosts}`} />,
  },
  { header: "Type", visibleFrom: "sm", className: "whitespace-nowrap", cell: (c) => c.type },
  { header: "Allowed hosts", visibleFrom: "md", className: "font-mono text-xs leading-5 break-words", cell: (c) => c.hosts },
  { header: "Created", visibleFrom: "lg", className: DATE_CLASSES, cell: (c) => <DateText date={c.createdAt} /> },
  { header: "Updated", visibleFrom: "md", align: "right", className: DATE_CLASSES, cell: (c) => <DateText date={c.updatedAt} /> },
];

/** A vault's credentials as a table; on narrow screens the details move under the name. */
export function CredentialList({ credentials, caption }: { credentials: TCredentialRow[]; caption: string }) {
  return <DataTable rows={credentials} columns={CREDENTIAL_COLUMNS} caption={caption} />;
}
