import "server-only";
import { AppError } from "@/lib/errors";
import { Prisma } from "@/lib/generated/prisma/client";
import { newId } from "@/lib/ids";
import { receiveSkillUpload } from "./receive-skill-upload";
import { skillFolderOf, type TSkillFolder } from "./skill-folder";
import { skillToWire } from "./skill-to-wire";
import type { TSkillsDeps, TStoredSkillFile } from "./skills-deps";

export const DISPLAY_NAME_MAX = 255;

/** A folder's files as `SkillVersion.files` keeps them. */
export function storedFiles(folder: TSkillFolder): TStoredSkillFile[] {
  return folder.files.map((f) => ({ path: f.path, content: f.content.toString("base64") }));
}

/**
 * `POST /v1/skills`: a new skill from an uploaded folder, with its first version. Its name (from
 * SKILL.md) is unique in the team: a second skill of the same name is a 409 (upload a new version of
 * the first instead). Nothing is written when anything is refused.
 */
export async function createSkill(deps: TSkillsDeps, options: { teamId: string; contentType: string | null; body: ReadableStream<Uint8Array> | null }) {
  const upload = await receiveSkillUpload({ contentType: options.contentType, body: options.body, maxBytes: deps.maxBytes, allowedFields: ["display_name"] });
  const folder = skillFolderOf(upload.parts);
  const displayName = upload.fields.display_name?.trim() || folder.name;
  if (displayName.length > DISPLAY_NAME_MAX) throw new AppError("invalid_request", `display_name: longer than ${DISPLAY_NAME_MAX} characters`);
  const skillId = newId("skill");
  const versionId = newId("skillVersion");
  try {
    const skill = await deps.prisma.$transaction(async (tx) => {
      const created = await tx.skill.create({ data: { id: skillId, teamId: options.teamId, name: folder.name, displayName, latestVersionId: versionId } });
      await tx.skillVersion.create({
        data: { id: versionId, skillId, name: folder.name, description: folder.description, files: storedFiles(folder), sizeBytes: folder.sizeBytes },
      });
      return created;
    });
    return skillToWire(skill);
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
      throw new AppError("conflict", `name: the team already has a skill named ${JSON.stringify(folder.name)}; upload a new version of it instead`);
    }
    throw error;
  }
}
