import "server-only";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { AppError } from "@/lib/errors";
import { isId } from "@/lib/ids";

/**
 * Checks an agent's `skills` as given at create/update: each a `custom` skill of the team (this
 * server provides no `anthropic` skills of its own) with, when `version` is given and not `latest`,
 * a version of that skill, and no skill twice. A 400 names the entry (`skills[1].skill_id`); a
 * skill of another team is reported like one that does not exist.
 */
export async function validateSkillRefs(
  prisma: Pick<PrismaClient, "skill" | "skillVersion">,
  teamId: string,
  refs: readonly { type: string; skill_id: string; version?: string | null }[] | null | undefined,
  field = "skills",
): Promise<void> {
  const seen = new Set<string>();
  for (const [i, ref] of (refs ?? []).entries()) {
    if (ref.type !== "custom") throw new AppError("invalid_request", `${field}[${i}].type: this server has no ${ref.type} skills; upload the skill (POST /v1/skills) and refer to it as custom`);
    if (seen.has(ref.skill_id)) throw new AppError("invalid_request", `${field}[${i}].skill_id: ${ref.skill_id} is listed twice`);
    seen.add(ref.skill_id);
    const skill = isId("skill", ref.skill_id) ? await prisma.skill.findFirst({ where: { id: ref.skill_id, teamId }, select: { id: true } }) : null;
    if (!skill) throw new AppError("invalid_request", `${field}[${i}].skill_id: no skill ${ref.skill_id.slice(0, 80)} in this team`);
    const version = ref.version ?? "latest";
    if (version === "latest") continue;
    const found = isId("skillVersion", version) ? await prisma.skillVersion.findFirst({ where: { id: version, skillId: skill.id }, select: { id: true } }) : null;
    if (!found) throw new AppError("invalid_request", `${field}[${i}].version: skill ${skill.id} has no version ${version.slice(0, 80)}`);
  }
}
