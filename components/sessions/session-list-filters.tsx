import Link from "next/link";
import type { TSessionListFilters } from "@/lib/sessions/ui/list-session-filters";
import { SEARCH_MAX, SESSION_LIST_STATUSES, type TSessionListQuery } from "@/lib/sessions/ui/session-list-query";
import { buttonClasses } from "@/components/ui/button";
import { INPUT_CLASSES } from "@/components/ui/text-field";

type TProps = {
  /** The list's own address, without a query. */
  action: string;
  query: TSessionListQuery;
  filters: TSessionListFilters;
};

/**
 * Search and filters of the sessions list: a plain GET form, so the filtered list is an address
 * that can be bookmarked and shared, and works before any script has loaded. Applying it starts
 * from the newest page (the cursors are left out).
 */
export function SessionListFilters({ action, query, filters }: TProps) {
  const filtered = Boolean(query.q || query.status || query.agent || query.by);
  const select = (name: "status" | "agent" | "by", label: string, options: { value: string; label: string }[]) => (
    <div className="flex min-w-36 flex-1 flex-col gap-1">
      <label htmlFor={`sessions-${name}`} className="text-sm font-medium text-zinc-800 dark:text-zinc-200">
        {label}
      </label>
      <select id={`sessions-${name}`} name={name} defaultValue={query[name] ?? ""} className={INPUT_CLASSES}>
        <option value="">Any</option>
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </div>
  );
  return (
    <form role="search" aria-label="Search and filter sessions" method="get" action={action} className="flex flex-wrap items-end gap-3">
      <div className="flex min-w-56 flex-[2] flex-col gap-1">
        <label htmlFor="sessions-q" className="text-sm font-medium text-zinc-800 dark:text-zinc-200">
          Search
        </label>
        <input
          id="sessions-q"
          type="search"
          name="q"
          defaultValue={query.q ?? ""}
          maxLength={SEARCH_MAX}
          placeholder="Title or first message"
          className={INPUT_CLASSES}
        />
      </div>
      {select(
        "status",
        "Status",
        SESSION_LIST_STATUSES.map((status) => ({ value: status, label: status[0]!.toUpperCase() + status.slice(1) })),
      )}
      {select(
        "agent",
        "Agent",
        filters.agents.map((agent) => ({ value: agent.id, label: agent.name })),
      )}
      {select(
        "by",
        "Started by",
        filters.people.map((person) => ({ value: person.id, label: person.name })),
      )}
      <div className="flex gap-2">
        <button type="submit" className={buttonClasses("secondary")}>
          Apply
        </button>
        {filtered ? (
          <Link href={action} className={buttonClasses("ghost")}>
            Clear
          </Link>
        ) : null}
      </div>
    </form>
  );
}
