import "server-only";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { findTeamSkillVersion } from "./find-team-skill";
import type { TStoredSkillFile } from "./skills-deps";

/**
 * One file of a skill version as UTF-8 text (the web app shows a version's SKILL.md), with the
 * version's file paths: `text` is null when the file is absent or not UTF-8. 404 as `getSkillVersion`.
 */
export async function readSkillFile(prisma: PrismaClient, options: { teamId: string; skillId: string; version: string; path: string }) {
  const { version } = await findTeamSkillVersion(prisma, options.teamId, options.skillId, options.version);
  const files = version.files as TStoredSkillFile[];
  const file = files.find((f) => f.path === options.path);
  let text: string | null = null;
  if (file) {
    try {
      text = new TextDecoder("utf-8", { fatal: true }).decode(Buffer.from(file.content, "base64"));
    } catch {
      text = null;
    }
  }
  return { versionId: version.id, paths: files.map((f) => f.path), sizeBytes: version.sizeBytes, text };
}
