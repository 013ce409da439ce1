import type { Metadata } from "next";
import { teamPath } from "@/lib/auth/current-team";
import { requireMembership } from "@/lib/auth/require-membership";
import { useCases } from "@/lib/server/root";
import { BackLink } from "@/components/agents/back-link";
import { DeploymentCreateForm } from "@/components/deployments/deployment-create-form";
import { Card, EmptyState } from "@/components/ui/card";
import { createDeploymentAction } from "../actions";

export const metadata: Metadata = { title: "New deployment" };
export const dynamic = "force-dynamic";

type TProps = { params: Promise<{ team: string }> };

const FIRST_HUNDRED = new URLSearchParams({ limit: "100" });

export default async function NewDeploymentPage({ params }: TProps) {
  const { team } = await requireMembership(useCases(), (await params).team);
  const [agents, environments] = await Promise.all([useCases().agents.list({ teamId: team.id, query: FIRST_HUNDRED }), useCases().environments.list({ teamId: team.id, query: FIRST_HUNDRED })]);
  const back = teamPath(team.slug, "deployments");
  return (
    <>
      <BackLink href={back}>Deployments</BackLink>
      <Card title="New deployment" titleId="new-deployment-heading" description="Starts a new session of the agent in the environment, on demand or on a cron schedule.">
        {agents.data.length === 0 || environments.data.length === 0 ? (
          <EmptyState title="An agent and an environment first">
            <p>A deployment runs one of the team&apos;s agents in one of its environments; create both first.</p>
          </EmptyState>
        ) : (
          <DeploymentCreateForm
            action={createDeploymentAction.bind(null, team.slug)}
            agents={agents.data.map((a) => ({ value: a.id, label: `${a.name} · ${a.model.id}` }))}
            environments={environments.data.map((e) => ({ value: e.id, label: `${e.name} (${e.id})` }))}
            cancelHref={back}
          />
        )}
      </Card>
    </>
  );
}
