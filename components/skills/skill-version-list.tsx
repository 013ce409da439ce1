import { ConfirmActionForm } from "@/components/forms/confirm-action-form";
import type { TFormAction } from "@/components/forms/form-state";
import { Badge } from "@/components/agents/fields";
import { DateText } from "@/components/ui/date-text";

export type TSkillVersionRow = { id: string; description: string; createdAt: Date; latest: boolean };

/** A skill's versions, newest first, each with a Delete button (the only version is deleted with the skill). */
export function SkillVersionList({ versions, deleteAction }: { versions: TSkillVersionRow[]; deleteAction: TFormAction<null> }) {
  return (
    <ul aria-label="Versions" className="-my-2 divide-y divide-zinc-200 dark:divide-zinc-800">
      {versions.map((version) => (
        <li key={version.id} data-version={version.id} className="flex flex-col gap-2 py-3 sm:flex-row sm:items-center sm:justify-between">
          <div className="flex min-w-0 flex-col gap-0.5">
            <p className="flex flex-wrap items-center gap-2">
              <span className="font-mono text-sm">{version.id}</span>
              {version.latest ? <Badge tone="brand">Latest</Badge> : null}
            </p>
            <p className="truncate text-sm text-zinc-600 dark:text-zinc-400">{version.description}</p>
            <p className="text-xs text-zinc-500 dark:text-zinc-400">
              Uploaded <DateText date={version.createdAt} />
            </p>
          </div>
          {versions.length > 1 ? (
            <ConfirmActionForm
              action={deleteAction}
              fields={{ versionId: version.id }}
              label="Delete"
              accessibleLabel={`Delete version ${version.id}`}
              question={version.latest ? "Delete this version? The one before it becomes the latest." : "Delete this version?"}
              confirmLabel="Delete"
              pendingLabel="Deleting…"
            />
          ) : null}
        </li>
      ))}
    </ul>
  );
}
