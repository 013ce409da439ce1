import type { Metadata } from "next";
import { teamPath } from "@/lib/auth/current-team";
import { requireMembership } from "@/lib/auth/require-membership";
import { configuredSandboxProviders } from "@/lib/environments/check-sandbox-provider";
import { newEnvironmentFormValues } from "@/lib/environments/ui/environment-form";
import { useCases } from "@/lib/server/root";
import { BackLink } from "@/components/agents/back-link";
import { EnvironmentForm } from "@/components/environments/environment-form";
import { Card } from "@/components/ui/card";
import { createEnvironmentAction } from "../actions";

export const metadata: Metadata = { title: "New environment" };
export const dynamic = "force-dynamic";

type TProps = { params: Promise<{ team: string }> };

export default async function NewEnvironmentPage({ params }: TProps) {
  const { team } = await requireMembership(useCases(), (await params).team);
  return (
    <>
      <BackLink href={teamPath(team.slug, "environments")}>Environments</BackLink>
      <Card title="New environment" titleId="new-environment-heading" description="Sessions run in an environment: it decides where the agent's tools run and what they can reach.">
        <EnvironmentForm
          action={createEnvironmentAction.bind(null, team.slug)}
          initial={newEnvironmentFormValues()}
          isNew
          cancelHref={teamPath(team.slug, "environments")}
          vercelConfigured={configuredSandboxProviders().includes("vercel")}
        />
      </Card>
    </>
  );
}
