import type { ReactNode } from "react";
import { ConfirmActionForm } from "@/components/forms/confirm-action-form";
import type { TFormAction } from "@/components/forms/form-state";

/**
 * The irreversible or hiding actions of a team object (archive, delete), at the end of its page, each with what it does spelled out next to its button.
 */
export function DangerZone({ title, titleId, children }: { title: string; titleId: string; children: ReactNode }) {
  return (
    <section aria-labelledby={titleId} className="rounded-xl border border-red-200 bg-white shadow-sm dark:border-red-900/60 dark:bg-zinc-900">
      <h2 id={titleId} className="border-b border-red-200 px-5 py-4 font-semibold dark:border-red-900/60">
        {title}
      </h2>
      <ul className="divide-y divide-zinc-200 dark:divide-zinc-800">{children}</ul>
    </section>
  );
}

export function DangerAction({ title, description, children }: { title: string; description: ReactNode; children: ReactNode }) {
  return (
    <li className="flex flex-wrap items-center justify-between gap-x-6 gap-y-3 px-5 py-4">
      <div className="flex min-w-0 flex-[1_1_18rem] flex-col gap-0.5">
        <p className="font-medium">{title}</p>
        <p className="text-sm text-zinc-600 dark:text-zinc-400">{description}</p>
      </div>
      <div className="ml-auto max-w-full">{children}</div>
    </li>
  );
}

type TStep = { action: TFormAction<null>; description: ReactNode; question: string };

/**
 * The usual danger zone of a team object: archive (until it is archived), then delete, each asking
 * first. `noun` names the kind ("vault"), `name` the object, for the headings and screen readers.
 */
export function ArchiveOrDeleteZone({ noun, name, archived, archive, remove }: { noun: string; name: string; archived: boolean; archive: TStep; remove: TStep }) {
  return (
    <DangerZone title={archived ? "Delete" : "Archive or delete"} titleId={`${noun}-danger-heading`}>
      {archived ? null : (
        <DangerAction title={`Archive this ${noun}`} description={archive.description}>
          <ConfirmActionForm action={archive.action} fields={{}} label="Archive" accessibleLabel={`Archive ${name}`} question={archive.question} confirmLabel="Archive" pendingLabel="Archiving…" />
        </DangerAction>
      )}
      <DangerAction title={`Delete this ${noun}`} description={remove.description}>
        <ConfirmActionForm action={remove.action} fields={{}} label="Delete" accessibleLabel={`Delete ${name}`} question={remove.question} confirmLabel="Delete" pendingLabel="Deleting…" />
      </DangerAction>
    </DangerZone>
  );
}
