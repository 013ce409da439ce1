import type { Metadata } from "next";
import Link from "next/link";
import { teamPath } from "@/lib/auth/current-team";
import { requireMembership } from "@/lib/auth/require-membership";
import { useCases } from "@/lib/server/root";
import { Card, EmptyState } from "@/components/ui/card";
import { NewSessionForm } from "@/components/sessions/new-session-form";
import { startSessionAction } from "./actions";

export const metadata: Metadata = { title: "New session" };
export const dynamic = "force-dynamic";

type TProps = { params: Promise<{ team: string }>; searchParams: Promise<{ agent?: string | string[] }> };

const FIRST_HUNDRED = new URLSearchParams({ limit: "100" });

export default async function NewSessionPage({ params, searchParams }: TProps) {
  const { team } = await requireMembership(useCases(), (await params).team);
  const requested = (await searchParams).agent;
  const [agents, environments, vaults] = await Promise.all([
    useCases().agents.list({ teamId: team.id, query: FIRST_HUNDRED }),
    useCases().environments.list({ teamId: team.id, query: FIRST_HUNDRED }),
    // the API's list: archived vaults are left out, as a new session cannot use them
    useCases().vaults.list({ teamId: team.id, query: FIRST_HUNDRED }),
  ]);
  const counts = await useCases().vaults.countCredentials({ teamId: team.id, vaultIds: vaults.data.map((vault) => vault.id) });
  const agentOptions = agents.data.map((agent) => ({ id: agent.id, name: agent.name, model: agent.model.id }));
  const selectedAgent = typeof requested === "string" && agentOptions.some((agent) => agent.id === requested) ? requested : null;
  return (
    <Card title="Start a session" titleId="new-session-heading" description="A session is one durable conversation with an agent: every step is kept in its log.">
      {agentOptions.length === 0 ? (
        <EmptyState title="No agents yet">
          <p>
            A session runs an agent.{" "}
            <Link href={teamPath(team.slug, "agents", "new")} className="font-medium text-brand-700 underline-offset-4 hover:underline dark:text-brand-300">
              Create an agent
            </Link>{" "}
            first, then start its session here.
          </p>
        </EmptyState>
      ) : (
        <NewSessionForm
          action={startSessionAction.bind(null, team.slug)}
          agents={agentOptions}
          environments={environments.data.map((env) => ({ id: env.id, name: env.name }))}
          vaults={vaults.data.map((vault) => ({ id: vault.id, name: vault.display_name, credentials: counts.get(vault.id) ?? 0 }))}
          selectedAgent={selectedAgent}
        />
      )}
    </Card>
  );
}
