import type { PrismaClient } from "@/lib/generated/prisma/client";

/** An agent or a person the sessions list can be filtered by. */
export type TSessionFilterOption = { id: string; name: string };

export type TSessionListFilters = {
  agents: TSessionFilterOption[];
  /** Members first (by name), then the team's API keys (revoked ones too: they started sessions). */
  people: (TSessionFilterOption & { kind: "member" | "api_key" })[];
};

/** Agents and API keys offered as filters; a team with more is filtered by editing the address. */
const MAX_OPTIONS = 200;

/** What the sessions list offers to filter by: the team's agents (archived too), members and API keys. */
export async function listSessionFilters(prisma: PrismaClient, options: { teamId: string }): Promise<TSessionListFilters> {
  const [agents, members, keys] = await Promise.all([
    prisma.agent.findMany({ where: { teamId: options.teamId }, orderBy: { id: "desc" }, take: MAX_OPTIONS, select: { id: true, currentVersion: true } }),
    prisma.membership.findMany({ where: { teamId: options.teamId }, select: { user: { select: { id: true, name: true } } } }),
    prisma.apiKey.findMany({ where: { teamId: options.teamId }, orderBy: { id: "desc" }, take: MAX_OPTIONS, select: { id: true, name: true, revokedAt: true } }),
  ]);
  const versions =
    agents.length === 0
      ? []
      : await prisma.agentVersion.findMany({ where: { OR: agents.map((a) => ({ agentId: a.id, version: a.currentVersion })) }, select: { agentId: true, name: true } });
  const byName = (a: TSessionFilterOption, b: TSessionFilterOption) => a.name.localeCompare(b.name);
  return {
    agents: versions.map((v) => ({ id: v.agentId, name: v.name })).sort(byName),
    people: [
      ...members.map((m) => ({ id: m.user.id, name: m.user.name, kind: "member" as const })).sort(byName),
      ...keys.map((k) => ({ id: k.id, name: `API key · ${k.name}${k.revokedAt ? " (revoked)" : ""}`, kind: "api_key" as const })),
    ],
  };
}
