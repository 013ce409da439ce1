import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { teamPath } from "@/lib/auth/current-team";
import { requireMembership } from "@/lib/auth/require-membership";
import { AppError } from "@/lib/errors";
import { isId } from "@/lib/ids";
import { useCases } from "@/lib/server/root";
import { sessionRowOf } from "@/lib/sessions/ui/session-row";
import { buttonClasses } from "@/components/ui/button";
import { Alert } from "@/components/ui/alert";
import { Card, EmptyState } from "@/components/ui/card";
import { AutoRefresh } from "@/components/sessions/auto-refresh";
import { SessionList } from "@/components/sessions/session-list";

export const metadata: Metadata = { title: "Sessions" };
export const dynamic = "force-dynamic";

type TProps = { params: Promise<{ team: string }>; searchParams: Promise<{ page?: string | string[]; deleted?: string | string[] }> };

const PAGE_SIZE = "25";
/** How often the list re-reads the statuses while it is on screen. */
const REFRESH_MS = 4_000;

export default async function SessionsPage({ params, searchParams }: TProps) {
  const { team } = await requireMembership(useCases(), (await params).team);
  const { page, deleted } = await searchParams;
  const query = new URLSearchParams({ limit: PAGE_SIZE, ...(typeof page === "string" && page ? { page } : {}) });
  const result = await useCases().sessions.list({ teamId: team.id, query }).catch((error: unknown) => {
    if (error instanceof AppError && error.code === "invalid_request") notFound(); // a cursor that is not ours
    throw error;
  });
  const base = teamPath(team.slug, "sessions");
  const rows = result.data.map((session) => sessionRowOf(session, team.slug));
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
      {typeof deleted === "string" && isId("session", deleted) ? (
        <Alert tone="success" title="Session deleted">
          <span className="font-mono text-xs">{deleted}</span> and its log are gone; anyone watching it was told.
        </Alert>
      ) : null}
      {rows.length === 0 && !page ? (
        <EmptyState title="No sessions yet">
          <p>Start a session from one of the team&apos;s agents: its timeline, live for everyone on the team, shows here.</p>
        </EmptyState>
      ) : (
        <div className="flex flex-col gap-4">
          <SessionList sessions={rows} />
          {result.prev_page || result.next_page ? (
            <nav aria-label="Pages of sessions" className="flex justify-between gap-2 border-t border-zinc-200 pt-4 dark:border-zinc-800">
              {result.prev_page ? (
                <Link href={`${base}?${new URLSearchParams({ page: result.prev_page })}`} className={buttonClasses("secondary")}>
                  ← Newer
                </Link>
              ) : (
                <span />
              )}
              {result.next_page ? (
                <Link href={`${base}?${new URLSearchParams({ page: result.next_page })}`} className={buttonClasses("secondary")}>
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
