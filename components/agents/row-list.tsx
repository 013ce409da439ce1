"use client";

import type { ReactNode, RefObject } from "react";
import { Button } from "@/components/ui/button";

/**
 * The repeated rows of an agent form section (custom tools, MCP servers): a numbered card per row,
 * headed by its label with a Remove button, then an Add button and a polite announcement of what
 * was added or removed, for screen readers. The section keeps the rows' state; this is their frame.
 */
export function RowList({
  empty,
  readOnly,
  addLabel,
  addButtonRef,
  onAdd,
  announcement,
  children,
}: {
  /** Shown instead of the list when there are no rows. */
  empty: string | null;
  readOnly: boolean;
  addLabel: string;
  addButtonRef: RefObject<HTMLButtonElement | null>;
  onAdd: () => void;
  announcement: string;
  children: ReactNode;
}) {
  return (
    <>
      {empty ? <p className="text-sm text-zinc-500 dark:text-zinc-400">{empty}</p> : null}
      <ol className="flex flex-col gap-4 empty:hidden">{children}</ol>
      {readOnly ? null : (
        <div>
          <Button ref={addButtonRef} variant="secondary" onClick={onAdd}>
            <span aria-hidden="true">+</span> {addLabel}
          </Button>
        </div>
      )}
      <p aria-live="polite" className="sr-only">
        {announcement}
      </p>
    </>
  );
}

/** One row's card: its label and, unless read-only, its Remove button, above its fields. */
export function RowCard({ label, readOnly, onRemove, children }: { label: string; readOnly: boolean; onRemove: () => void; children: ReactNode }) {
  return (
    <li className="flex flex-col gap-4 rounded-lg border border-zinc-200 p-4 dark:border-zinc-800">
      <div className="flex items-center justify-between gap-3">
        <h3 className="min-w-0 truncate text-sm font-semibold">{label}</h3>
        {readOnly ? null : (
          <Button variant="ghost" className="shrink-0 px-2.5 py-1.5" aria-label={`Remove ${label}`} onClick={onRemove}>
            Remove
          </Button>
        )}
      </div>
      {children}
    </li>
  );
}
