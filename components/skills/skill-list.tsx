import { DataTable, NameCell, type TColumn } from "@/components/ui/data-table";
import { DateText } from "@/components/ui/date-text";

export type TSkillRow = { id: string; href: string; displayName: string; name: string; description: string; latestVersionId: string; updatedAt: Date };

const COLUMNS: TColumn<TSkillRow>[] = [
  { header: "Skill", className: "max-w-0 sm:w-2/5", cell: (skill) => <NameCell href={skill.href} name={skill.displayName} code={skill.name} /> },
  { header: "Description", visibleFrom: "sm", className: "max-w-0 truncate text-zinc-600 dark:text-zinc-400", cell: (skill) => skill.description || "—" },
  { header: "Latest version", visibleFrom: "md", className: "font-mono text-xs whitespace-nowrap text-zinc-600 dark:text-zinc-400", cell: (skill) => skill.latestVersionId },
  { header: "Updated", visibleFrom: "sm", align: "right", className: "whitespace-nowrap text-zinc-600 dark:text-zinc-400", cell: (skill) => <DateText date={skill.updatedAt} /> },
];

/** The team's skills as a table: display name and name, description (of the latest version), latest version, when updated. */
export function SkillList({ skills }: { skills: TSkillRow[] }) {
  return <DataTable rows={skills} columns={COLUMNS} caption="Skills" />;
}
