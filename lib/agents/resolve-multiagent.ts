import type { PrismaClient } from "@/lib/generated/prisma/client";
import { AppError } from "@/lib/errors";
import { isId } from "@/lib/ids";
import type { TAgentRef, TMultiagent } from "./agent-content";
import { mergeMultiagent20261001 } from "./merge-multiagent";
import type { TMultiagentParams } from "./schemas";

type TEntry = string | { type: "agent"; id: string; version?: number } | { type: "self" } | { type: "advisor"; model: string };

/**
 * Resolves `multiagent` to agent references with concrete versions, as the SDK describes it:
 * - `coordinator` (SDK `BetaManagedAgentsMultiagentCoordinator`): its roster;
 * - `multiagent_20261001` (SDK `BetaManagedAgentsMultiagent20261001`): merged onto `stored` (the
 *   agent's current `multiagent`, on an update) and given its defaults (merge-multiagent.ts), then
 *   its `subagents.predefined_agents`.
 * A coordinator's `{type: "advisor", model}` entry (at most one) is kept as it is, in its place.
 * Each other entry names an agent of the team that exists, is not archived and has no `multiagent` of its
 * own (depth limit 1: a delegated agent cannot delegate further); entries name distinct agents; at
 * most one `self`, which is the agent being written (`self`: its id and the version being written).
 * An id without a version takes the agent's latest version.
 */
export async function resolveMultiagent(
  prisma: PrismaClient,
  options: { teamId: string; params: TMultiagentParams; self: { id: string; version: number }; stored?: TMultiagent | null },
): Promise<TMultiagent | null> {
  const params = options.params;
  if (params === null) return null;
  if (params.type === "coordinator") {
    const field = "multiagent.agents";
    const advisors = params.agents.flatMap((entry, index) => (typeof entry === "object" && entry.type === "advisor" ? [{ index, model: entry.model }] : []));
    if (advisors.length > 1) throw new AppError("invalid_request", `${field}[${advisors[1]!.index}]: at most one advisor entry`, { path: `${field}[${advisors[1]!.index}]` });
    const agents = await resolveEntries(prisma, options, params.agents, field);
    const advisor = advisors[0];
    return { type: "coordinator", agents: advisor ? [...agents.slice(0, advisor.index), { type: "advisor", model: advisor.model }, ...agents.slice(advisor.index)] : agents };
  }
  const merged = mergeMultiagent20261001(options.stored ?? null, params, options.self.id);
  if (merged.subagents.type === "disabled") return { ...merged, subagents: { type: "disabled" } };
  const field = "multiagent.subagents.predefined_agents";
  if (merged.subagents.inline_agents.type === "disabled" && merged.subagents.predefined_agents.length === 0) {
    throw new AppError("invalid_request", `${field}: at least 1 agent when inline_agents is disabled`, { path: field });
  }
  const predefined = await resolveEntries(prisma, options, merged.subagents.predefined_agents, field);
  return { ...merged, subagents: { ...merged.subagents, predefined_agents: predefined } };
}

async function resolveEntries(
  prisma: PrismaClient,
  options: { teamId: string; self: { id: string; version: number } },
  entries: readonly TEntry[],
  field: string,
): Promise<TAgentRef[]> {
  const agents: TAgentRef[] = [];
  const seen = new Set<string>();
  let selves = 0;
  for (const [index, entry] of entries.entries()) {
    const where = `${field}[${index}]`;
    const refuse = (message: string) => new AppError("invalid_request", `${where}: ${message}`, { path: where });
    if (typeof entry === "object" && entry.type === "advisor") continue; // not an agent: placed by the caller
    let ref: { id: string; version: number };
    if (typeof entry === "object" && entry.type === "self") {
      if (++selves > 1) throw refuse('at most one {type: "self"} entry');
      ref = { ...options.self };
    } else {
      const id = typeof entry === "string" ? entry : entry.id;
      const agent = isId("agent", id) ? await prisma.agent.findFirst({ where: { id, teamId: options.teamId } }) : null;
      if (!agent) throw refuse(`agent ${id.slice(0, 128)} not found`);
      if (agent.archivedAt) throw refuse(`agent ${id} is archived`);
      const version = typeof entry === "object" && entry.version !== undefined ? entry.version : agent.currentVersion;
      const row = await prisma.agentVersion.findUnique({ where: { agentId_version: { agentId: id, version } }, select: { multiagent: true } });
      if (!row) throw refuse(`agent ${id} has no version ${version} (its latest is ${agent.currentVersion})`);
      if (row.multiagent !== null) throw refuse(`agent ${id} has multiagent set itself: a delegated agent cannot delegate further (depth limit 1)`);
      ref = { id, version };
    }
    if (seen.has(ref.id)) throw refuse(`agent ${ref.id} is listed twice: entries must name distinct agents`);
    seen.add(ref.id);
    agents.push({ type: "agent", ...ref });
  }
  return agents;
}
