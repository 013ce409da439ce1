import { DataTable, NameCell, type TColumn } from "@/components/ui/data-table";
import { DateText } from "@/components/ui/date-text";

export type TVaultRow = { id: string; href: string; name: string; credentials: number; createdAt: Date; archived: boolean };

const VAULT_COLUMNS: TColumn<TVaultRow>[] = [
  { header: "Name", className: "max-w-0 sm:w-3/5", cell: (vault) => <NameCell href={vault.href} name={vault.name} archived={vault.archived} code={vault.id} /> },
  { header: "Credentials", className: "whitespace-nowrap", cell: (vault) => vault.credentials },
  { header: "Created", visibleFrom: "sm", align: "right", className: "whitespace-nowrap text-zinc-600 dark:text-zinc-400", cell: (vault) => <DateText date={vault.createdAt} /> },
];

/** The team's vaults as a table: name, how many active credentials, when created. */
export function VaultList({ vaults, caption }: { vaults: TVaultRow[]; caption: string }) {
  return <DataTable rows={vaults} columns={VAULT_COLUMNS} caption={caption} />;
}
