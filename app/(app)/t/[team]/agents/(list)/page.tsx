import type { Metadata } from "next";
import Link from "next/link";
import { listAgents } from "@/lib/agents/list-agents";
import { teamPath } from "@/lib/auth/current-team";
import { requireMembership } from "@/lib/auth/require-membership";
import { AppError } from "@/lib/errors";
import { getRuntime } from "@/lib/server/runtime";
import { AgentList, ArchivedFilter } from "@/components/agents/agent-list";
import { AgentIcon } from "@/components/agents/icons";
import { buttonClasses } from "@/components/ui/button";
import { Card, EmptyState } from "@/components/ui/card";

export const metadata: Metadata = { title: "Agents" };
export const dynamic = "force-dynamic";

const PAGE_SIZE = 50;

type TProps = { params: Promise<{ team: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function AgentsPage({ params, searchParams }: TProps) {
  const { team } = await requireMembership((await params).team);
  const query = await searchParams;
  const showArchived = query.archived === "include";
  const cursor = typeof query.page === "string" ? query.page : undefined;
  const base = teamPath(team.slug, "agents");
  const listHref = (page?: string) => `${base}?${new URLSearchParams({ ...(showArchived ? { archived: "include" } : {}), ...(page ? { page } : {}) })}`.replace(/\?$/, "");

  const prisma = getRuntime().db.prisma;
  const list = (page?: string) =>
    listAgents(prisma, { teamId: team.id, query: new URLSearchParams({ limit: String(PAGE_SIZE), include_archived: String(showArchived), ...(page ? { page } : {}) }) });
  // A page link that no longer decodes (edited by hand) shows the first page.
  const { data, next_page } = await list(cursor).catch((error: unknown) => {
    if (error instanceof AppError && error.code === "invalid_request") return list();
    throw error;
  });

  // An empty list of active agents: say whether archived ones exist.
  const hasArchived =
    data.length === 0 && !showArchived && !cursor
      ? (await listAgents(prisma, { teamId: team.id, query: new URLSearchParams({ limit: "1", include_archived: "true" }) })).data.length > 0
      : false;

  const rows = data.map((agent) => ({
    id: agent.id,
    href: teamPath(team.slug, "agents", agent.id),
    name: agent.name,
    description: agent.description,
    model: agent.model.id,
    version: agent.version,
    updatedAt: new Date(agent.updated_at),
    archived: agent.archived_at !== null,
  }));

  return (
    <Card
      title="Agents"
      titleId="agents-heading"
      description="A model, a system prompt and tools. Every change is a new version."
      actions={
        <Link href={teamPath(team.slug, "agents", "new")} className={buttonClasses("primary")}>
          <span aria-hidden="true">+</span> New agent
        </Link>
      }
    >
      <div className="flex flex-col gap-4">
        <ArchivedFilter label="Which agents to show" activeHref={base} allHref={`${base}?archived=include`} showingAll={showArchived} />
        {rows.length === 0 ? (
          <EmptyState title={hasArchived ? "No active agents" : "No agents yet"} icon={<AgentIcon />}>
            <p>
              {hasArchived ? (
                <>
                  Every agent of this team is archived.{" "}
                  <Link href={`${base}?archived=include`} className="font-medium text-brand-700 underline-offset-4 hover:underline dark:text-brand-300">
                    Show archived agents
                  </Link>
                </>
              ) : showArchived ? (
                "This team has no agents, archived or not."
              ) : (
                "Create an agent to run sessions with it, here or through the API."
              )}
            </p>
            <p className="mt-4">
              <Link href={teamPath(team.slug, "agents", "new")} className={buttonClasses("primary")}>
                Create an agent
              </Link>
            </p>
          </EmptyState>
        ) : (
          <AgentList agents={rows} caption={showArchived ? "Agents, including archived ones" : "Active agents"} />
        )}
        {next_page || cursor ? (
          <nav aria-label="Pages of agents" className="flex justify-between gap-3 border-t border-zinc-200 pt-4 dark:border-zinc-800">
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
