import "server-only";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { AppError } from "@/lib/errors";
import { findTeamSkill, findTeamSkillVersion } from "./find-team-skill";
import { skillTar } from "./skill-tar";
import { skillToWire, skillVersionToWire } from "./skill-to-wire";
import type { TStoredSkillFile } from "./skills-deps";
import { attachmentDisposition } from "@/lib/resource/content-disposition";

/** `GET /v1/skills/{id}`. */
export async function getSkill(prisma: PrismaClient, options: { teamId: string; skillId: string }) {
  return skillToWire(await findTeamSkill(prisma, options.teamId, options.skillId));
}

/** `GET /v1/skills/{id}/versions/{version}` (`latest` names the latest). */
export async function getSkillVersion(prisma: PrismaClient, options: { teamId: string; skillId: string; version: string; sessionId?: string }) {
  if (options.sessionId) await assertSessionSkill(prisma, options.teamId, options.sessionId, options.skillId);
  const { version } = await findTeamSkillVersion(prisma, options.teamId, options.skillId, options.version);
  return skillVersionToWire(version);
}

/**
 * For a self-hosted environment's worker, which reads skills with its work item's session token:
 * only the skills its session's agent (or one of its roster's agents) names; any other is a 403.
 */
async function assertSessionSkill(prisma: PrismaClient, teamId: string, sessionId: string, skillId: string): Promise<void> {
  const session = await prisma.session.findFirst({ where: { id: sessionId, teamId }, select: { agentSnapshot: true } });
  type TAgent = { skills?: { skill_id?: unknown }[]; multiagent?: { agents?: TAgent[] } | null };
  const agent = (session?.agentSnapshot ?? {}) as TAgent;
  const named = [agent, ...(agent.multiagent?.agents ?? [])].some((a) => Array.isArray(a.skills) && a.skills.some((ref) => ref?.skill_id === skillId));
  if (!named) throw new AppError("forbidden", `This token is scoped to session ${sessionId}'s skills only.`);
}

/**
 * `GET /v1/skills/{id}/versions/{version}/content` (the SDK's `versions.download`): the version's
 * folder as a tar archive, `<name>/SKILL.md`, `<name>/…`.
 */
export async function downloadSkillVersion(prisma: PrismaClient, options: { teamId: string; skillId: string; version: string; sessionId?: string }): Promise<Response> {
  if (options.sessionId) await assertSessionSkill(prisma, options.teamId, options.sessionId, options.skillId);
  const { version } = await findTeamSkillVersion(prisma, options.teamId, options.skillId, options.version);
  const files = (version.files as TStoredSkillFile[]).map((f) => ({ path: f.path, content: Buffer.from(f.content, "base64") }));
  const tar = skillTar(version.name, files, version.createdAt);
  return new Response(new Uint8Array(tar), {
    status: 200,
    headers: {
      "content-type": "application/x-tar",
      "content-disposition": attachmentDisposition(`${version.name}.tar`),
      "x-content-type-options": "nosniff",
    },
  });
}
