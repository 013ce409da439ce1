import type { Metadata } from "next";
import Link from "next/link";
import { teamPath } from "@/lib/auth/current-team";
import { requireMembership } from "@/lib/auth/require-membership";
import { isId } from "@/lib/ids";
import { useCases } from "@/lib/server/root";
import { readSessionListQuery, sessionListSearch } from "@/lib/sessions/ui/session-list-query";
import { buttonClasses } from "@/components/ui/button";
import { Alert } from "@/components/ui/alert";
import { Card, EmptyState } from "@/components/ui/card";
import { AutoRefresh } from "@/components/sessions/auto-refresh";
import { SessionList } from "@/components/sessions/session-list";
import { SessionListFilters } from "@/components/sessions/session-list-filters";
import { renameSessionAction } from "./actions";

export const metadata: Metadata = { title: "Sessions" };
export const dynamic = "force-dynamic";

type TProps = { params: Promise<{ team: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

/** How often the list re-reads the statuses while it is on screen. */
const REFRESH_MS = 4_000;

export default async function SessionsPage({ params, searchParams }: TProps) {
  const { team } = await requireMembership(useCases(), (await params).team);
  const search = await searchParams;
  // a bad value in the address is ignored and named, never a broken page (session-list-query.ts)
  const { query, ignored } = readSessionListQuery(search);
  const { sessions } = useCases();
  const [page, filters] = await Promise.all([
    sessions.listRows({ teamId: team.id, teamSlug: team.slug, query }),
    sessions.listFilters({ teamId: team.id }),
  ]);
  const base = teamPath(team.slug, "sessions");
  const { after: _after, before: _before, ...filtering } = query;
  const filtered = Object.keys(filtering).length > 0;
  const paged = Boolean(query.after || query.before);
  const deleted = typeof search.deleted === "string" && isId("session", search.deleted) ? search.deleted : null;
  return (
    <Card
      title="Sessions"
      titleId="sessions-heading"
      description="Every session is a durable log of one agent's work; statuses update live."
      actions={
        <Link href={`${base}/new`} className={buttonClasses("primary")}>
          Start a session
        </Link>
      }
    >
      <AutoRefresh intervalMs={REFRESH_MS} />
      {deleted ? (
        <Alert tone="success" title="Session deleted">
          <span className="font-mono text-xs">{deleted}</span> and its log are gone; anyone watching it was told.
        </Alert>
      ) : null}
      {ignored.length > 0 ? (
        <Alert tone="info" title="Part of this address was ignored">
          <ul data-testid="ignored-params">
            {ignored.map((param) => (
              <li key={param.name}>
                <span className="font-mono text-xs">
                  {param.name}={param.value}
                </span>
                : {param.reason}
              </li>
            ))}
          </ul>
        </Alert>
      ) : null}
      {page.rows.length === 0 && !filtered && !paged ? (
        <EmptyState title="No sessions yet">
          <p>Start a session from one of the team&apos;s agents: its timeline, live for everyone on the team, shows here.</p>
        </EmptyState>
      ) : (
        <div className="flex flex-col gap-4">
          <SessionListFilters action={base} query={query} filters={filters} />
          {page.rows.length === 0 ? (
            <EmptyState title="No sessions match">
              <p>
                Nothing matches this search and these filters.{" "}
                <Link href={base} className="font-medium text-brand-700 underline-offset-4 hover:underline dark:text-brand-300">
                  Show all sessions
                </Link>
              </p>
            </EmptyState>
          ) : (
            <SessionList sessions={page.rows} rename={renameSessionAction.bind(null, team.slug)} />
          )}
          {page.newer || page.older ? (
            <nav aria-label="Pages of sessions" className="flex justify-between gap-2 border-t border-zinc-200 pt-4 dark:border-zinc-800">
              {page.newer ? (
                <Link href={`${base}${sessionListSearch({ ...filtering, before: page.newer })}`} className={buttonClasses("secondary")}>
                  ← Newer
                </Link>
              ) : (
                <span />
              )}
              {page.older ? (
                <Link href={`${base}${sessionListSearch({ ...filtering, after: page.older })}`} className={buttonClasses("secondary")}>
                  Older →
                </Link>
              ) : null}
            </nav>
          ) : null}
        </div>
      )}
    </Card>
  );
}
