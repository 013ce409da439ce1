import type { Metadata } from "next";
import { modelSuggestions, newAgentFormValues } from "@/lib/agents/ui/agent-form";
import { teamPath } from "@/lib/auth/current-team";
import { requireMembership } from "@/lib/auth/require-membership";
import { useCases } from "@/lib/server/root";
import { getRuntimeInfo } from "@/lib/server/runtime-info";
import { BUILTIN_TOOLS } from "@/lib/tools/registry";
import { AgentForm } from "@/components/agents/agent-form";
import { BackLink } from "@/components/agents/back-link";
import { Card } from "@/components/ui/card";
import { createAgentAction } from "../actions";

export const metadata: Metadata = { title: "New agent" };
export const dynamic = "force-dynamic";

type TProps = { params: Promise<{ team: string }> };

const DEMO_HINT = "No ANTHROPIC_API_KEY is set on this server: the built-in demo model answers every agent, whatever the id, free of charge.";

export default async function NewAgentPage({ params }: TProps) {
  const { team } = await requireMembership(useCases(), (await params).team);
  const { data } = await useCases().agents.list({ teamId: team.id, query: new URLSearchParams({ limit: "100" }) });
  const runnable = BUILTIN_TOOLS.map((tool) => tool.name);
  const info = getRuntimeInfo();
  return (
    <>
      <BackLink href={teamPath(team.slug, "agents")}>Agents</BackLink>
      <Card title="New agent" titleId="new-agent-heading" description="Saved as version 1. You can change everything later: each change becomes a new version.">
        <AgentForm
          action={createAgentAction.bind(null, team.slug)}
          initial={newAgentFormValues(runnable, info.defaultModel)}
          modelHint={info.model === "demo" ? DEMO_HINT : undefined}
          runnableTools={runnable}
          modelSuggestions={modelSuggestions(data.map((agent) => agent.model.id))}
          cancelHref={teamPath(team.slug, "agents")}
        />
      </Card>
    </>
  );
}
