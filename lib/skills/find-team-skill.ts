import "server-only";
import type { PrismaClient, Skill, SkillVersion } from "@/lib/generated/prisma/client";
import { NotFoundError } from "@/lib/errors";
import { isId } from "@/lib/ids";

export function skillNotFound(skillId: string): NotFoundError {
  return new NotFoundError(`skill ${skillId.slice(0, 80)} not found`);
}

/** The team's skill, or 404 (the same answer for an unknown id, a malformed one and another team's). */
export async function findTeamSkill(prisma: Pick<PrismaClient, "skill">, teamId: string, skillId: string): Promise<Skill> {
  const skill = isId("skill", skillId) ? await prisma.skill.findFirst({ where: { id: skillId, teamId } }) : null;
  if (!skill) throw skillNotFound(skillId);
  return skill;
}

/** One version of the team's skill (`latest` names its latest), or 404. */
export async function findTeamSkillVersion(
  prisma: Pick<PrismaClient, "skill" | "skillVersion">,
  teamId: string,
  skillId: string,
  version: string,
): Promise<{ skill: Skill; version: SkillVersion }> {
  const skill = await findTeamSkill(prisma, teamId, skillId);
  const id = version === "latest" ? skill.latestVersionId : version;
  const row = isId("skillVersion", id) ? await prisma.skillVersion.findFirst({ where: { id, skillId: skill.id } }) : null;
  if (!row) throw new NotFoundError(`version ${version.slice(0, 80)} of skill ${skill.id} not found`);
  return { skill, version: row };
}
