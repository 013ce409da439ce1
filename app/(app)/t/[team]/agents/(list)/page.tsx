import type { Metadata } from "next";
import Link from "next/link";
import { readListPage } from "@/lib/api/list-page";
import { teamPath } from "@/lib/auth/current-team";
import { requireMembership } from "@/lib/auth/require-membership";
import { useCases } from "@/lib/server/root";
import { AgentList } from "@/components/agents/agent-list";
import { AgentIcon } from "@/components/agents/icons";
import { buttonClasses } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { ArchivableEmptyState, ListFrame } from "@/components/ui/list-frame";

export const metadata: Metadata = { title: "Agents" };
export const dynamic = "force-dynamic";

const PAGE_SIZE = 50;

type TProps = { params: Promise<{ team: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function AgentsPage({ params, searchParams }: TProps) {
  const { team } = await requireMembership(useCases(), (await params).team);
  const { agents } = useCases();
  const page = await readListPage((query) => agents.list({ teamId: team.id, query }), {
    base: teamPath(team.slug, "agents"),
    searchParams: await searchParams,
    pageSize: PAGE_SIZE,
    probeArchived: true,
  });

  const rows = page.data.map((agent) => ({
    id: agent.id,
    href: teamPath(team.slug, "agents", agent.id),
    name: agent.name,
    description: agent.description,
    model: agent.model.id,
    version: agent.version,
    updatedAt: new Date(agent.updated_at),
    archived: agent.archived_at !== null,
  }));
  const newHref = teamPath(team.slug, "agents", "new");

  return (
    <Card
      title="Agents"
      titleId="agents-heading"
      description="A model, a system prompt and tools. Every change is a new version."
      actions={
        <Link href={newHref} className={buttonClasses("primary")}>
          <span aria-hidden="true">+</span> New agent
        </Link>
      }
    >
      <ListFrame page={page} items="agents">
        {rows.length === 0 ? (
          <ArchivableEmptyState
            page={page}
            hasArchived={page.hasArchived}
            item="agent"
            items="agents"
            icon={<AgentIcon />}
            hint="Create an agent to run sessions with it, here or through the API."
            createHref={newHref}
            createLabel="Create an agent"
          />
        ) : (
          <AgentList agents={rows} caption={page.showArchived ? "Agents, including archived ones" : "Active agents"} />
        )}
      </ListFrame>
    </Card>
  );
}
