import { z } from "zod";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { AppError } from "@/lib/errors";
import { isId } from "@/lib/ids";
import { findSessionEnvironment, sessionEnvironmentsOf } from "@/lib/event-log/session-environments";
import type { TAdditionalEnvironment } from "@/lib/event-log/session-store";

/**
 * The platform's extension on session create: `additional_environments`, the environments a session
 * uses beside its primary `environment_id` (README, "Several hands per session"). Each entry names
 * one of the team's environments, not archived, at most once (and not the primary), with an
 * optional `name` by which an agent's tool config (`environment`) may name it.
 */
export const MAX_ADDITIONAL_ENVIRONMENTS = 4;
const ZName = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/, "letters, digits, underscores and hyphens");
export const ZAdditionalEnvironmentsSchema = z
  .array(z.strictObject({ environment_id: z.string().min(1).max(128), name: ZName.nullish() }))
  .max(MAX_ADDITIONAL_ENVIRONMENTS, `at most ${MAX_ADDITIONAL_ENVIRONMENTS} additional environments`);
export type TAdditionalEnvironmentsParams = z.infer<typeof ZAdditionalEnvironmentsSchema>;

const invalid = (path: string, message: string) => new AppError("invalid_request", `${path}: ${message}`, { path });

/**
 * Checks the entries against the team's environments: another team's (or an unknown) id is a 404
 * like the primary's, an archived one a 400; a repeated environment or name is a 400 naming the
 * entry. Returns them as the session stores them.
 */
export async function resolveAdditionalEnvironments(
  prisma: PrismaClient,
  options: { teamId: string; primaryId: string; entries: TAdditionalEnvironmentsParams },
): Promise<TAdditionalEnvironment[]> {
  const { entries } = options;
  if (entries.length === 0) return [];
  const ids = entries.map((e) => e.environment_id);
  const found = await prisma.environment.findMany({ where: { id: { in: ids.filter((id) => isId("environment", id)) }, teamId: options.teamId }, select: { id: true, archivedAt: true } });
  const seen = new Set([options.primaryId]);
  const names = new Set<string>();
  return entries.map((entry, i) => {
    const path = `additional_environments[${i}]`;
    const environment = found.find((e) => e.id === entry.environment_id);
    if (!environment) throw new AppError("not_found", `${path}.environment_id: environment ${entry.environment_id.slice(0, 128)} not found`, { path: `${path}.environment_id` });
    if (environment.archivedAt) throw invalid(`${path}.environment_id`, `environment ${entry.environment_id} is archived`);
    if (seen.has(entry.environment_id)) throw invalid(`${path}.environment_id`, `environment ${entry.environment_id} is already one of the session's environments`);
    seen.add(entry.environment_id);
    const name = entry.name ?? null;
    if (name !== null && names.has(name)) throw invalid(`${path}.name`, `two environments named "${name}"`);
    if (name !== null) names.add(name);
    return { environment_id: entry.environment_id, name };
  });
}

/**
 * Every environment the agent's built-in toolset names (and each of its roster's, for a
 * multi-agent session) is one of the session's: a tool routed nowhere is refused before the
 * session exists, not at its first call (400 naming the entry).
 */
export function assertToolEnvironments(snapshot: Record<string, unknown>, session: { environmentId: string; additionalEnvironments: readonly TAdditionalEnvironment[] }): void {
  const environments = sessionEnvironmentsOf(session);
  const check = (tools: unknown, root: string) => {
    if (!Array.isArray(tools)) return;
    tools.forEach((tool: Record<string, unknown> | null, i) => {
      if (tool?.type !== "agent_toolset_20260401") return;
      const named = [
        { path: `${root}[${i}].default_config.environment`, key: (tool.default_config as { environment?: unknown } | null)?.environment },
        ...((tool.configs as { environment?: unknown }[] | null) ?? []).map((c, j) => ({ path: `${root}[${i}].configs[${j}].environment`, key: c?.environment })),
      ];
      for (const { path, key } of named) {
        if (typeof key === "string" && !findSessionEnvironment(environments, key)) {
          throw invalid(path, `the agent runs tools in environment "${key}", which is not one of this session's environments (environment_id, additional_environments)`);
        }
      }
    });
  };
  check(snapshot.tools, "agent.tools");
  const multiagent = snapshot.multiagent as { agents?: unknown; subagents?: { predefined_agents?: unknown } | null } | null | undefined;
  const roster = [...(Array.isArray(multiagent?.agents) ? multiagent.agents : []), ...(Array.isArray(multiagent?.subagents?.predefined_agents) ? multiagent.subagents.predefined_agents : [])];
  roster.forEach((agent: { tools?: unknown } | null, i) => check(agent?.tools, `agent.multiagent.agents[${i}].tools`));
}
