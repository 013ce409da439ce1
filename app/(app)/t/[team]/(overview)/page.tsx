import type { Metadata } from "next";
import Link from "next/link";
import { teamPath } from "@/lib/auth/current-team";
import { requireMembership } from "@/lib/auth/require-membership";
import { useCases } from "@/lib/server/root";
import { sessionRowOf } from "@/lib/sessions/ui/session-row";
import { buttonClasses } from "@/components/ui/button";
import { RecentAgents } from "@/components/agents/recent-agents";
import { Card, EmptyState } from "@/components/ui/card";
import { ListCostTotal } from "@/components/sessions/list-cost-total";
import { SessionList } from "@/components/sessions/session-list";

export const metadata: Metadata = { title: "Overview" };
export const dynamic = "force-dynamic";

type TProps = { params: Promise<{ team: string }> };

export default async function TeamHomePage({ params }: TProps) {
  const { team } = await requireMembership(useCases(), (await params).team);
  const keysHref = teamPath(team.slug, "settings", "api-keys");
  const { data: agents } = await useCases().agents.list({ teamId: team.id, query: new URLSearchParams({ limit: "5" }) });
  const recent = await useCases().sessions.list({ teamId: team.id, query: new URLSearchParams({ limit: "5" }) });
  const recentSessions = recent.data.map((session) => sessionRowOf(session, team.slug));
  const spent = await useCases().sessions.sumListCost({ teamId: team.id });
  return (
    <>
      <Card
        title="Agents"
        titleId="agents-heading"
        description="Models with a system prompt and tools, versioned on every change."
        actions={
          agents.length > 0 ? (
            <div className="flex flex-wrap gap-2">
              <Link href={teamPath(team.slug, "agents")} className={buttonClasses("secondary")}>
                All agents
              </Link>
              <Link href={teamPath(team.slug, "agents", "new")} className={buttonClasses("primary")}>
                New agent
              </Link>
            </div>
          ) : undefined
        }
      >
        {agents.length > 0 ? (
          <RecentAgents
            agents={agents.map((agent) => ({
              id: agent.id,
              href: teamPath(team.slug, "agents", agent.id),
              name: agent.name,
              model: agent.model.id,
              version: agent.version,
              updatedAt: new Date(agent.updated_at),
            }))}
          />
        ) : (
          <EmptyState title="No agents yet" icon={<AgentIcon />}>
            <p>
              Create an agent here, or through the API with the Anthropic SDK pointed at this server (
              <Link href={keysHref} className="font-medium text-brand-700 underline-offset-4 hover:underline dark:text-brand-300">
                API keys
              </Link>
              ).
            </p>
            <p className="mt-4">
              <Link href={teamPath(team.slug, "agents", "new")} className={buttonClasses("primary")}>
                Create an agent
              </Link>
            </p>
          </EmptyState>
        )}
      </Card>
      <Card
        title="Sessions"
        titleId="sessions-heading"
        description="Each session is a durable event log of one agent's work."
        actions={
          <Link href={teamPath(team.slug, "sessions")} className={buttonClasses("secondary")}>
            All sessions
          </Link>
        }
      >
        {recentSessions.length === 0 ? (
          <EmptyState title="No sessions yet" icon={<SessionIcon />}>
            <p>Sessions your agents run will be listed here, live as they happen and replayable afterwards.</p>
          </EmptyState>
        ) : (
          <div className="flex flex-col gap-3">
            <ListCostTotal total={spent} whose="the team's" />
            <SessionList sessions={recentSessions} label="Recent sessions" />
          </div>
        )}
      </Card>
      <p className="text-sm text-zinc-600 dark:text-zinc-400">
        Working with others?{" "}
        <Link href={teamPath(team.slug, "settings", "members")} className={buttonClasses("ghost", "px-1.5 py-0.5")}>
          Invite people to {team.name}
        </Link>
      </p>
    </>
  );
}

function AgentIcon() {
  return (
    <svg viewBox="0 0 24 24" className="size-8" fill="none" stroke="currentColor" strokeWidth="1.5">
      <rect x="4" y="7" width="16" height="12" rx="3" />
      <path d="M12 3v4M9 12h.01M15 12h.01M9 16h6" strokeLinecap="round" />
    </svg>
  );
}

function SessionIcon() {
  return (
    <svg viewBox="0 0 24 24" className="size-8" fill="none" stroke="currentColor" strokeWidth="1.5">
      <path d="M5 6h14M5 10h10M5 14h14M5 18h7" strokeLinecap="round" />
    </svg>
  );
}
