import { DataTable, NameCell, type TColumn } from "@/components/ui/data-table";
import { DateText } from "@/components/ui/date-text";

export type TMemoryStoreRow = { id: string; href: string; name: string; description: string; createdAt: Date; archived: boolean };

const COLUMNS: TColumn<TMemoryStoreRow>[] = [
  { header: "Name", className: "max-w-0 sm:w-2/5", cell: (store) => <NameCell href={store.href} name={store.name} archived={store.archived} code={store.id} /> },
  { header: "Description", visibleFrom: "sm", className: "max-w-0 truncate text-zinc-600 dark:text-zinc-400", cell: (store) => store.description || "—" },
  { header: "Created", visibleFrom: "sm", align: "right", className: "whitespace-nowrap text-zinc-600 dark:text-zinc-400", cell: (store) => <DateText date={store.createdAt} /> },
];

/** The team's memory stores as a table: name, description, when created. */
export function MemoryStoreList({ stores, caption }: { stores: TMemoryStoreRow[]; caption: string }) {
  return <DataTable rows={stores} columns={COLUMNS} caption={caption} />;
}
