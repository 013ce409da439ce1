import Link from "next/link";
import type { ReactNode } from "react";
import { buttonClasses } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/card";

/** Where a paged, archivable list is and can go (`readListPage` in lib/api/list-page.ts gives it). */
export type TListPageLinks = { showArchived: boolean; activeHref: string; allHref: string; firstHref: string | null; nextHref: string | null };

/** Two links that choose which items a list shows (active, or including archived); the current one is marked. */
export function ArchivedFilter({ label, activeHref, allHref, showingAll }: { label: string; activeHref: string; allHref: string; showingAll: boolean }) {
  const item = (href: string, text: string, current: boolean) => (
    <Link
      href={href}
      aria-current={current ? "page" : undefined}
      className={`rounded-md px-3 py-1.5 text-sm font-medium ${
        current ? "bg-white text-zinc-900 shadow-sm dark:bg-zinc-700 dark:text-zinc-100" : "text-zinc-600 hover:text-zinc-900 dark:text-zinc-400 dark:hover:text-zinc-100"
      }`}
    >
      {text}
    </Link>
  );
  return (
    <nav aria-label={label} className="inline-flex rounded-lg bg-zinc-100 p-1 dark:bg-zinc-800">
      {item(activeHref, "Active", !showingAll)}
      {item(allHref, "Including archived", showingAll)}
    </nav>
  );
}

/** "First page" and "Next page" under a paged list, when there is more than one page. */
export function PageLinks({ label, firstHref, nextHref }: { label: string; firstHref: string | null; nextHref: string | null }) {
  if (!firstHref && !nextHref) return null;
  return (
    <nav aria-label={label} className="flex justify-between gap-3 border-t border-zinc-200 pt-4 dark:border-zinc-800">
      {firstHref ? (
        <Link href={firstHref} className={buttonClasses("secondary")}>
          First page
        </Link>
      ) : (
        <span />
      )}
      {nextHref ? (
        <Link href={nextHref} className={buttonClasses("secondary")}>
          Next page
        </Link>
      ) : null}
    </nav>
  );
}

/** A paged list of archivable items (`items`, plural, names them): the filter, the list or its empty state, the page links. */
export function ListFrame({ page, items, children }: { page: TListPageLinks; items: string; children: ReactNode }) {
  return (
    <div className="flex flex-col gap-4">
      <ArchivedFilter label={`Which ${items} to show`} activeHref={page.activeHref} allHref={page.allHref} showingAll={page.showArchived} />
      {children}
      <PageLinks label={`Pages of ${items}`} firstHref={page.firstHref} nextHref={page.nextHref} />
    </div>
  );
}

/**
 * The empty state of a team's list of one kind of resource: when everything is archived it says
 * so and links to the archived ones; otherwise `hint`, and a link to create the first one.
 */
export function ArchivableEmptyState({
  page,
  hasArchived,
  item,
  items,
  icon,
  hint,
  createHref,
  createLabel,
}: {
  page: TListPageLinks;
  hasArchived: boolean;
  item: string;
  items: string;
  icon: ReactNode;
  hint: string;
  createHref: string;
  createLabel: string;
}) {
  return (
    <EmptyState title={hasArchived ? `No active ${items}` : `No ${items} yet`} icon={icon}>
      <p>
        {hasArchived ? (
          <>
            Every {item} of this team is archived.{" "}
            <Link href={page.allHref} className="font-medium text-brand-700 underline-offset-4 hover:underline dark:text-brand-300">
              Show archived {items}
            </Link>
          </>
        ) : page.showArchived ? (
          `This team has no ${items}, archived or not.`
        ) : (
          hint
        )}
      </p>
      <p className="mt-4">
        <Link href={createHref} className={buttonClasses("primary")}>
          {createLabel}
        </Link>
      </p>
    </EmptyState>
  );
}
