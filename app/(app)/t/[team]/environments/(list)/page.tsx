import type { Metadata } from "next";
import Link from "next/link";
import { teamPath } from "@/lib/auth/current-team";
import { requireMembership } from "@/lib/auth/require-membership";
import { listEnvironments } from "@/lib/environments/list-environments";
import { networkSummary, packagesSummary, sandboxLabel } from "@/lib/environments/ui/environment-summary";
import { AppError } from "@/lib/errors";
import { getRuntime } from "@/lib/server/runtime";
import { ArchivedFilter } from "@/components/agents/agent-list";
import { EnvironmentIcon } from "@/components/agents/icons";
import { EnvironmentList } from "@/components/environments/environment-list";
import { buttonClasses } from "@/components/ui/button";
import { Card, EmptyState } from "@/components/ui/card";

export const metadata: Metadata = { title: "Environments" };
export const dynamic = "force-dynamic";

const PAGE_SIZE = 50;

type TProps = { params: Promise<{ team: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function EnvironmentsPage({ params, searchParams }: TProps) {
  const { team } = await requireMembership((await params).team);
  const query = await searchParams;
  const showArchived = query.archived === "include";
  const cursor = typeof query.page === "string" ? query.page : undefined;
  const base = teamPath(team.slug, "environments");
  const listHref = (page?: string) => `${base}?${new URLSearchParams({ ...(showArchived ? { archived: "include" } : {}), ...(page ? { page } : {}) })}`.replace(/\?$/, "");

  const prisma = getRuntime().db.prisma;
  const list = (page?: string) =>
    listEnvironments(prisma, { teamId: team.id, query: new URLSearchParams({ limit: String(PAGE_SIZE), include_archived: String(showArchived), ...(page ? { page } : {}) }) });
  // A page link that no longer decodes (edited by hand) shows the first page.
  const { data, next_page } = await list(cursor).catch((error: unknown) => {
    if (error instanceof AppError && error.code === "invalid_request") return list();
    throw error;
  });

  // An empty list of active environments: say whether archived ones exist.
  const hasArchived =
    data.length === 0 && !showArchived && !cursor
      ? (await listEnvironments(prisma, { teamId: team.id, query: new URLSearchParams({ limit: "1", include_archived: "true" }) })).data.length > 0
      : false;

  const rows = data.map((env) => ({
    id: env.id,
    href: teamPath(team.slug, "environments", env.id),
    name: env.name,
    description: env.description,
    sandbox: sandboxLabel(env.config),
    network: networkSummary(env.config),
    packages: packagesSummary(env.config),
    updatedAt: new Date(env.updated_at),
    archived: env.archived_at !== null,
  }));
  const newHref = teamPath(team.slug, "environments", "new");

  return (
    <Card
      title="Environments"
      titleId="environments-heading"
      description="Where a session's tools run: the sandbox, its network and its packages."
      actions={
        <Link href={newHref} className={buttonClasses("primary")}>
          <span aria-hidden="true">+</span> New environment
        </Link>
      }
    >
      <div className="flex flex-col gap-4">
        <ArchivedFilter label="Which environments to show" activeHref={base} allHref={`${base}?archived=include`} showingAll={showArchived} />
        {rows.length === 0 ? (
          <EmptyState title={hasArchived ? "No active environments" : "No environments yet"} icon={<EnvironmentIcon />}>
            <p>
              {hasArchived ? (
                <>
                  Every environment of this team is archived.{" "}
                  <Link href={`${base}?archived=include`} className="font-medium text-brand-700 underline-offset-4 hover:underline dark:text-brand-300">
                    Show archived environments
                  </Link>
                </>
              ) : showArchived ? (
                "This team has no environments, archived or not."
              ) : (
                "Create an environment for your agents' sessions to run in."
              )}
            </p>
            <p className="mt-4">
              <Link href={newHref} className={buttonClasses("primary")}>
                Create an environment
              </Link>
            </p>
          </EmptyState>
        ) : (
          <EnvironmentList environments={rows} caption={showArchived ? "Environments, including archived ones" : "Active environments"} />
        )}
        {next_page || cursor ? (
          <nav aria-label="Pages of environments" className="flex justify-between gap-3 border-t border-zinc-200 pt-4 dark:border-zinc-800">
            {cursor ? (
              <Link href={listHref()} className={buttonClasses("secondary")}>
                First page
              </Link>
            ) : (
              <span />
            )}
            {next_page ? (
              <Link href={listHref(next_page)} className={buttonClasses("secondary")}>
                Next page
              </Link>
            ) : null}
          </nav>
        ) : null}
      </div>
    </Card>
  );
}
