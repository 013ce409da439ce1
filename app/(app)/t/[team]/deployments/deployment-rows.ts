import "server-only";
import { teamPath } from "@/lib/auth/current-team";
import type { TWireDeployment } from "@/lib/deployments/deployment-to-wire";
import { useCases } from "@/lib/server/root";
import type { TDeploymentRow } from "@/components/deployments/deployment-list";

/** The name of each agent and environment the deployments name (the id itself when it is gone), each looked up once. */
async function namesOf(teamId: string, deployments: TWireDeployment[]) {
  const { agents, environments } = useCases();
  const agentIds = [...new Set(deployments.map((d) => d.agent.id))];
  const environmentIds = [...new Set(deployments.map((d) => d.environment_id))];
  const [agentNames, environmentNames] = await Promise.all([
    Promise.all(agentIds.map((agentId) => agents.get({ teamId, agentId, query: new URLSearchParams() }).then((a) => a.name, () => agentId))),
    Promise.all(environmentIds.map((environmentId) => environments.get({ teamId, environmentId }).then((e) => e.name, () => environmentId))),
  ]);
  return {
    agent: new Map(agentIds.map((id, i) => [id, agentNames[i]!])),
    environment: new Map(environmentIds.map((id, i) => [id, environmentNames[i]!])),
  };
}

/** Deployments as the web app's rows: names rather than ids, the status including archived, the next runs. */
export async function deploymentRows(team: { id: string; slug: string }, deployments: TWireDeployment[]): Promise<TDeploymentRow[]> {
  const names = await namesOf(team.id, deployments);
  return deployments.map((d) => ({
    id: d.id,
    href: teamPath(team.slug, "deployments", d.id),
    name: d.name,
    agent: `${names.agent.get(d.agent.id)} (v${d.agent.version})`,
    environment: names.environment.get(d.environment_id)!,
    schedule: d.schedule ? `${d.schedule.expression} (${d.schedule.timezone})` : null,
    status: d.archived_at ? "archived" : d.status,
    nextRuns: d.status === "active" && d.schedule ? d.schedule.upcoming_runs_at.slice(0, 3).map((at) => new Date(at)) : [],
  }));
}
