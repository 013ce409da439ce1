import "server-only";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { validateSkillRefs } from "./validate-skill-refs";

type TSkillRef = { type: string; skill_id: string; version?: string | null };

/**
 * A new session's skills, each pinned to a version: `latest` (or none) becomes the skill's latest
 * version id now, so the session's sandbox and prompt keep the versions it started with whatever is
 * uploaded later. `validate` (per-session `skills` overrides) first checks them as an agent's are;
 * otherwise (the agent's own, checked when it was saved) a skill deleted since is left as it is, and
 * the session runs without it.
 */
export async function pinSkillRefs(prisma: Pick<PrismaClient, "skill" | "skillVersion">, teamId: string, refs: unknown, options: { validate: boolean }): Promise<unknown> {
  if (!Array.isArray(refs) || refs.length === 0) return refs;
  if (options.validate) await validateSkillRefs(prisma, teamId, refs as TSkillRef[], "agent.skills");
  const ids = (refs as TSkillRef[]).filter((r) => r.type === "custom" && (!r.version || r.version === "latest")).map((r) => r.skill_id);
  const latest = new Map(
    ids.length > 0 ? (await prisma.skill.findMany({ where: { teamId, id: { in: ids } }, select: { id: true, latestVersionId: true } })).map((s) => [s.id, s.latestVersionId]) : [],
  );
  return (refs as TSkillRef[]).map((r) => (latest.has(r.skill_id) && (!r.version || r.version === "latest") ? { ...r, version: latest.get(r.skill_id)! } : r));
}
