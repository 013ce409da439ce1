import "server-only";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { AppError } from "@/lib/errors";
import { findTeamSkill, findTeamSkillVersion } from "./find-team-skill";

/**
 * `DELETE /v1/skills/{id}`: the skill and all its versions. Agents that name it keep the reference;
 * their sessions go without it (session-skills.ts skips skills that are gone).
 */
export async function deleteSkill(prisma: PrismaClient, options: { teamId: string; skillId: string }) {
  const skill = await findTeamSkill(prisma, options.teamId, options.skillId);
  await prisma.skill.deleteMany({ where: { id: skill.id, teamId: options.teamId } });
  return { id: skill.id, type: "skill_deleted" as const };
}

/**
 * `DELETE /v1/skills/{id}/versions/{version}`: one version; when it was the latest, the one before
 * it becomes the latest. A skill's only version is not deleted (409): delete the skill instead.
 */
export async function deleteSkillVersion(prisma: PrismaClient, options: { teamId: string; skillId: string; version: string }) {
  const { skill, version } = await findTeamSkillVersion(prisma, options.teamId, options.skillId, options.version);
  await prisma.$transaction(async (tx) => {
    const previous = await tx.skillVersion.findFirst({ where: { skillId: skill.id, id: { not: version.id } }, orderBy: { id: "desc" }, select: { id: true } });
    if (!previous) throw new AppError("conflict", `version: ${version.id} is the only version of skill ${skill.id}; delete the skill instead`);
    await tx.skillVersion.delete({ where: { id: version.id } });
    if (skill.latestVersionId === version.id) await tx.skill.update({ where: { id: skill.id }, data: { latestVersionId: previous.id } });
  });
  return { id: version.id, type: "skill_version_deleted" as const };
}
