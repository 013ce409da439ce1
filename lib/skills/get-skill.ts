import "server-only";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { findTeamSkill, findTeamSkillVersion } from "./find-team-skill";
import { skillToWire, skillVersionToWire } from "./skill-to-wire";

/** `GET /v1/skills/{id}`. */
export async function getSkill(prisma: PrismaClient, options: { teamId: string; skillId: string }) {
  return skillToWire(await findTeamSkill(prisma, options.teamId, options.skillId));
}

/** `GET /v1/skills/{id}/versions/{version}` (`latest` names the latest). */
export async function getSkillVersion(prisma: PrismaClient, options: { teamId: string; skillId: string; version: string }) {
  const { version } = await findTeamSkillVersion(prisma, options.teamId, options.skillId, options.version);
  return skillVersionToWire(version);
}
