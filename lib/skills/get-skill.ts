import "server-only";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { findTeamSkill, findTeamSkillVersion } from "./find-team-skill";
import { skillTar } from "./skill-tar";
import { skillToWire, skillVersionToWire } from "./skill-to-wire";
import type { TStoredSkillFile } from "./skills-deps";

/** `GET /v1/skills/{id}`. */
export async function getSkill(prisma: PrismaClient, options: { teamId: string; skillId: string }) {
  return skillToWire(await findTeamSkill(prisma, options.teamId, options.skillId));
}

/** `GET /v1/skills/{id}/versions/{version}` (`latest` names the latest). */
export async function getSkillVersion(prisma: PrismaClient, options: { teamId: string; skillId: string; version: string }) {
  const { version } = await findTeamSkillVersion(prisma, options.teamId, options.skillId, options.version);
  return skillVersionToWire(version);
}

/**
 * `GET /v1/skills/{id}/versions/{version}/content` (the SDK's `versions.download`): the version's
 * folder as a tar archive, `<name>/SKILL.md`, `<name>/…`.
 */
export async function downloadSkillVersion(prisma: PrismaClient, options: { teamId: string; skillId: string; version: string }): Promise<Response> {
  const { version } = await findTeamSkillVersion(prisma, options.teamId, options.skillId, options.version);
  const files = (version.files as TStoredSkillFile[]).map((f) => ({ path: f.path, content: Buffer.from(f.content, "base64") }));
  const tar = skillTar(version.name, files, version.createdAt);
  return new Response(new Uint8Array(tar), {
    status: 200,
    headers: {
      "content-type": "application/x-tar",
      "content-disposition": `attachment; filename="${version.name}.tar"`,
      "x-content-type-options": "nosniff",
    },
  });
}
