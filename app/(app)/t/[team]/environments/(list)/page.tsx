import type { Metadata } from "next";
import Link from "next/link";
import { readListPage } from "@/lib/api/list-page";
import { teamPath } from "@/lib/auth/current-team";
import { requireMembership } from "@/lib/auth/require-membership";
import { networkSummary, packagesSummary, sandboxLabel } from "@/lib/environments/ui/environment-summary";
import { useCases } from "@/lib/server/root";
import { EnvironmentIcon } from "@/components/agents/icons";
import { EnvironmentList } from "@/components/environments/environment-list";
import { buttonClasses } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { ArchivableEmptyState, ListFrame } from "@/components/ui/list-frame";

export const metadata: Metadata = { title: "Environments" };
export const dynamic = "force-dynamic";

const PAGE_SIZE = 50;

type TProps = { params: Promise<{ team: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function EnvironmentsPage({ params, searchParams }: TProps) {
  const { team } = await requireMembership(useCases(), (await params).team);
  const { environments } = useCases();
  const page = await readListPage((query) => environments.list({ teamId: team.id, query }), {
    base: teamPath(team.slug, "environments"),
    searchParams: await searchParams,
    pageSize: PAGE_SIZE,
    probeArchived: true,
  });

  const rows = page.data.map((env) => ({
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
      <ListFrame page={page} items="environments">
        {rows.length === 0 ? (
          <ArchivableEmptyState
            page={page}
            hasArchived={page.hasArchived}
            item="environment"
            items="environments"
            icon={<EnvironmentIcon />}
            hint="Create an environment for your agents' sessions to run in."
            createHref={newHref}
            createLabel="Create an environment"
          />
        ) : (
          <EnvironmentList environments={rows} caption={page.showArchived ? "Environments, including archived ones" : "Active environments"} />
        )}
      </ListFrame>
    </Card>
  );
}
