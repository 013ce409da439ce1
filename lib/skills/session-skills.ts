import "server-only";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { log } from "@/lib/log";
import type { TStoredSkillFile } from "./skills-deps";

/** A skill as a session gets it: in its sandbox at `/workspace/.skills/<name>/`, and told of in the system prompt. */
export type TSessionSkill = { name: string; description: string; files?: { path: string; content: Buffer }[] };

/**
 * The skills an agent snapshot names (`skills[]`: `{type:"custom", skill_id, version}`), each at the
 * version it pins (`latest`: the skill's latest version when the sandbox or prompt is made), with
 * their files when `withFiles`. A skill deleted since the agent named it is left out (and logged).
 */
export function createSessionSkills(prisma: PrismaClient) {
  return async (session: { teamId: string; agentSnapshot: unknown }, options: { withFiles?: boolean } = {}): Promise<TSessionSkill[]> => {
    const refs = (session.agentSnapshot as { skills?: unknown } | null)?.skills;
    if (!Array.isArray(refs) || refs.length === 0) return [];
    const out: TSessionSkill[] = [];
    for (const ref of refs as { type?: string; skill_id?: string; version?: string }[]) {
      if (ref.type !== "custom" || typeof ref.skill_id !== "string") continue;
      const skill = await prisma.skill.findFirst({ where: { id: ref.skill_id, teamId: session.teamId }, select: { latestVersionId: true } });
      const versionId = !ref.version || ref.version === "latest" ? skill?.latestVersionId : ref.version;
      const version = skill && versionId
        ? await prisma.skillVersion.findFirst({
            where: { id: versionId, skillId: ref.skill_id },
            select: { name: true, description: true, files: options.withFiles === true },
          })
        : null;
      if (!version) {
        log.warn("an agent's skill is gone; the session runs without it", { skillId: ref.skill_id, version: ref.version ?? "latest" });
        continue;
      }
      out.push({
        name: version.name,
        description: version.description,
        ...(options.withFiles ? { files: ((version.files ?? []) as TStoredSkillFile[]).map((f) => ({ path: f.path, content: Buffer.from(f.content, "base64") })) } : {}),
      });
    }
    return out;
  };
}
