import "server-only";
import { AppError } from "@/lib/errors";
import { newId } from "@/lib/ids";
import { storedFiles } from "./create-skill";
import { findTeamSkill } from "./find-team-skill";
import { receiveSkillUpload } from "./receive-skill-upload";
import { skillFolderOf } from "./skill-folder";
import { skillVersionToWire } from "./skill-to-wire";
import type { TSkillsDeps } from "./skills-deps";

/**
 * `POST /v1/skills/{id}/versions`: a new version from an uploaded folder, which becomes the
 * skill's latest. The name in its SKILL.md must be the skill's (fixed at the first upload).
 */
export async function createSkillVersion(deps: TSkillsDeps, options: { teamId: string; skillId: string; contentType: string | null; body: ReadableStream<Uint8Array> | null }) {
  const skill = await findTeamSkill(deps.prisma, options.teamId, options.skillId).catch(async (error: unknown) => {
    await options.body?.cancel().catch(() => {});
    throw error;
  });
  const upload = await receiveSkillUpload({ contentType: options.contentType, body: options.body, maxBytes: deps.maxBytes, allowedFields: [] });
  const folder = skillFolderOf(upload.parts);
  if (folder.name !== skill.name) throw new AppError("invalid_request", `name: SKILL.md names ${JSON.stringify(folder.name)}, but this skill is ${JSON.stringify(skill.name)} (a skill's name is fixed)`);
  const id = newId("skillVersion");
  const version = await deps.prisma.$transaction(async (tx) => {
    const created = await tx.skillVersion.create({
      data: { id, skillId: skill.id, name: folder.name, description: folder.description, files: storedFiles(folder), sizeBytes: folder.sizeBytes },
    });
    await tx.skill.update({ where: { id: skill.id }, data: { latestVersionId: id } });
    return created;
  });
  return skillVersionToWire(version);
}
