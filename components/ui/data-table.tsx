import Link from "next/link";
import type { ReactNode } from "react";
import { Badge } from "@/components/agents/fields";

/**
 * One column of a DataTable. `visibleFrom` hides the column below a breakpoint (its content then
 * usually moves under the row's name, see NameCell's `details`).
 */
export type TColumn<Row> = {
  header: string;
  cell: (row: Row) => ReactNode;
  visibleFrom?: "sm" | "md" | "lg";
  align?: "left" | "right";
  /** Extra classes for the body cell (width, font). */
  className?: string;
};

const SHOW_FROM = { sm: "hidden sm:table-cell", md: "hidden md:table-cell", lg: "hidden lg:table-cell" } as const;

function cellClasses(column: TColumn<never>, index: number, count: number): string {
  const padding = index === 0 ? "pl-5 pr-3" : index === count - 1 ? "pl-3 pr-5" : "px-3";
  return [padding, column.visibleFrom ? SHOW_FROM[column.visibleFrom] : "", column.align === "right" ? "text-right" : ""].filter(Boolean).join(" ");
}

/** A team's objects as an accessible table that stays readable on narrow screens. */
export function DataTable<Row extends { id: string }>({ rows, columns, caption }: { rows: Row[]; columns: TColumn<Row>[]; caption: string }) {
  return (
    <div className="-mx-5 overflow-x-auto">
      <table className="w-full text-left text-sm">
        <caption className="sr-only">{caption}</caption>
        <thead className="border-b border-zinc-200 text-xs font-medium text-zinc-500 uppercase dark:border-zinc-800 dark:text-zinc-400">
          <tr>
            {columns.map((column, i) => (
              <th key={column.header} scope="col" className={`${cellClasses(column as TColumn<never>, i, columns.length)} py-2 font-medium`}>
                {column.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-200 dark:divide-zinc-800">
          {rows.map((row) => (
            <tr key={row.id} className="align-top">
              {columns.map((column, i) => (
                <td key={column.header} className={`${cellClasses(column as TColumn<never>, i, columns.length)} py-3 ${column.className ?? ""}`}>
                  {column.cell(row)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/**
 * The first cell of a row: its name as a link, an archived badge, a description, an identifier in
 * monospace (`code`), and details shown on phones only (the columns they repeat are hidden there).
 */
export function NameCell({
  href,
  name,
  archived,
  description,
  code,
  details,
}: {
  href: string;
  name: string;
  archived?: boolean;
  description?: string | null;
  code?: string;
  details?: ReactNode;
}) {
  return (
    <>
      <div className="flex flex-wrap items-center gap-2">
        <Link href={href} className="truncate font-medium text-brand-700 underline-offset-4 hover:underline dark:text-brand-300">
          {name}
        </Link>
        {archived ? <Badge tone="warning">Archived</Badge> : null}
      </div>
      {description ? <p className="mt-0.5 truncate text-zinc-600 dark:text-zinc-400">{description}</p> : null}
      {code ? <p className="mt-0.5 truncate font-mono text-xs text-zinc-500 dark:text-zinc-400">{code}</p> : null}
      {details ? <div className="mt-0.5 truncate text-xs text-zinc-500 sm:hidden dark:text-zinc-400">{details}</div> : null}
    </>
  );
}
