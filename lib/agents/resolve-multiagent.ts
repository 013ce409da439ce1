import type { PrismaClient } from "@/lib/generated/prisma/client";
import { AppError } from "@/lib/errors";
import { isId } from "@/lib/ids";
import type { TMultiagent } from "./agent-content";
import type { TMultiagentParams } from "./schemas";

/**
 * Resolves a coordinator roster to agent references with concrete versions (SDK
 * `BetaManagedAgentsMultiagentCoordinator`), as the SDK describes it: each entry names an agent of
 * the team that exists, is not archived and has no `multiagent` of its own (depth limit 1: a
 * delegated agent cannot delegate further); entries name distinct agents; at most one `self`, which
 * is the agent being written (`self`: its id and the version being written). An id without a
 * version takes the agent's latest version.
 */
export async function resolveMultiagent(
  prisma: PrismaClient,
  options: { teamId: string; params: TMultiagentParams; self: { id: string; version: number } },
): Promise<TMultiagent | null> {
  const params = options.params;
  if (params === null || params.type !== "coordinator") return null;
  const agents: TMultiagent["agents"] = [];
  const seen = new Set<string>();
  let selves = 0;
  for (const [index, entry] of params.agents.entries()) {
    const where = `multiagent.agents[${index}]`;
    const refuse = (message: string) => new AppError("invalid_request", `${where}: ${message}`, { path: where });
    if (typeof entry === "object" && entry.type === "advisor") throw refuse("advisor entries are not supported by this server yet");
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
  return { type: "coordinator", agents };
}
