import type { Metadata } from "next";
import Link from "next/link";
import { readListPage } from "@/lib/api/list-page";
import { teamPath } from "@/lib/auth/current-team";
import { requireMembership } from "@/lib/auth/require-membership";
import { useCases } from "@/lib/server/root";
import { DeploymentList } from "@/components/deployments/deployment-list";
import { buttonClasses } from "@/components/ui/button";
import { Card, EmptyState } from "@/components/ui/card";
import { ListFrame } from "@/components/ui/list-frame";
import { deploymentRows } from "../deployment-rows";

export const metadata: Metadata = { title: "Deployments" };
export const dynamic = "force-dynamic";

const PAGE_SIZE = 50;

type TProps = { params: Promise<{ team: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

/** The team's deployments: an agent in an environment with its first message, run on demand or on a cron schedule. */
export default async function DeploymentsPage({ params, searchParams }: TProps) {
  const { team } = await requireMembership(useCases(), (await params).team);
  const { deployments } = useCases();
  const page = await readListPage((query) => deployments.list({ teamId: team.id, query }), {
    base: teamPath(team.slug, "deployments"),
    searchParams: await searchParams,
    pageSize: PAGE_SIZE,
  });
  const rows = await deploymentRows(team, page.data);
  return (
    <Card
      title="Deployments"
      titleId="deployments-heading"
      description="An agent, an environment and a first message, started as a new session on demand or on a cron schedule."
      actions={
        <Link href={teamPath(team.slug, "deployments", "new")} className={buttonClasses("primary")}>
          <span aria-hidden="true">+</span> New deployment
        </Link>
      }
    >
      <ListFrame page={page} items="deployments">
        {rows.length === 0 ? (
          <EmptyState title={page.showArchived ? "No deployments" : "No active deployments"}>
            <p>Create one here or through the API (POST /v1/deployments); it shows up with its schedule and runs.</p>
          </EmptyState>
        ) : (
          <DeploymentList deployments={rows} caption={page.showArchived ? "Deployments, including archived ones" : "Deployments"} />
        )}
      </ListFrame>
    </Card>
  );
}
