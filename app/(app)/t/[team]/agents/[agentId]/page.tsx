import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { agentFormValues, modelSuggestions } from "@/lib/agents/ui/agent-form";
import { teamPath } from "@/lib/auth/current-team";
import { requireMembership } from "@/lib/auth/require-membership";
import { AppError } from "@/lib/errors";
import { useCases } from "@/lib/server/root";
import { BUILTIN_TOOLS } from "@/lib/tools/registry";
import { AgentForm } from "@/components/agents/agent-form";
import { BackLink } from "@/components/agents/back-link";
import { DangerAction, DangerZone } from "@/components/agents/danger-zone";
import { DetailHeader } from "@/components/agents/detail-header";
import { ListCostTotal } from "@/components/sessions/list-cost-total";
import { Badge } from "@/components/agents/fields";
import { ConfirmActionForm } from "@/components/forms/confirm-action-form";
import { Alert } from "@/components/ui/alert";
import { buttonClasses } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { DateText } from "@/components/ui/date-text";
import { archiveAgentAction, updateAgentAction } from "../actions";

export const metadata: Metadata = { title: "Agent" };
export const dynamic = "force-dynamic";

type TProps = { params: Promise<{ team: string; agentId: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function AgentPage({ params, searchParams }: TProps) {
  const { team: slug, agentId } = await params;
  const { team } = await requireMembership(useCases(), slug);
  const { agents } = useCases();
  const agent = await agents.snapshot({ teamId: team.id, agentId }).catch((error: unknown) => {
    if (error instanceof AppError && error.code === "not_found") notFound();
    throw error;
  });
  const { data: others } = await agents.list({ teamId: team.id, query: new URLSearchParams({ limit: "100" }) });
  const spent = await useCases().sessions.sumListCost({ teamId: team.id, agentId: agent.id });
  const created = (await searchParams).created === "1";
  const archived = agent.archived_at !== null;
  const runnable = BUILTIN_TOOLS.map((tool) => tool.name);
  const agentPath = teamPath(team.slug, "agents", agent.id);

  return (
    <>
      <BackLink href={teamPath(team.slug, "agents")}>Agents</BackLink>
      <DetailHeader
        title={agent.name}
        badges={
          <>
            <Badge tone="brand">Version {agent.version}</Badge>
            {archived ? <Badge tone="warning">Archived</Badge> : null}
          </>
        }
        meta={
          <>
            <span className="font-mono">{agent.model.id}</span> · updated <DateText date={new Date(agent.updated_at)} /> ·{" "}
            <span className="font-mono text-xs">{agent.id}</span>
          </>
        }
        actions={
          <>
            {archived ? null : (
              <Link href={`${teamPath(team.slug, "sessions", "new")}?${new URLSearchParams({ agent: agent.id })}`} className={buttonClasses("primary")}>
                Start session
              </Link>
            )}
            <Link href={`${agentPath}/versions`} className={buttonClasses("secondary")}>
              Version history
            </Link>
          </>
        }
      />
      <ListCostTotal total={spent} whose="this agent's" />
      {archived ? (
        <Alert tone="info" title="This agent is archived">
          Archived <DateText date={new Date(agent.archived_at!)} />. It cannot be edited or used for new sessions; sessions that already use it go on, and its versions
          stay readable.
        </Alert>
      ) : null}
      <Card title="Configuration" titleId="agent-configuration-heading" description={archived ? undefined : `Saving makes version ${agent.version + 1}, unless nothing changed.`}>
        <AgentForm
          action={updateAgentAction.bind(null, team.slug, agent.id)}
          initial={agentFormValues(agent)}
          version={agent.version}
          runnableTools={runnable}
          modelSuggestions={modelSuggestions(others.map((other) => other.model.id))}
          notice={created && agent.version === 1 ? "Agent created: saved as version 1." : undefined}
          readOnly={archived}
          reloadHref={agentPath}
        />
      </Card>
      {archived ? null : (
        <DangerZone title="Archive" titleId="agent-archive-heading">
          <DangerAction
            title="Archive this agent"
            description="It can no longer be edited or used for new sessions. Sessions that use it go on, and its versions stay readable. Archiving cannot be undone."
          >
            <ConfirmActionForm
              action={archiveAgentAction.bind(null, team.slug, agent.id)}
              fields={{}}
              label="Archive"
              accessibleLabel={`Archive ${agent.name}`}
              question="Archive this agent?"
              confirmLabel="Archive"
              pendingLabel="Archiving…"
            />
          </DangerAction>
        </DangerZone>
      )}
    </>
  );
}
