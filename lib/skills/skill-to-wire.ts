import "server-only";
import type { Skill, SkillVersion } from "@/lib/generated/prisma/client";

/** The Skill object of the API (reference §2.10; the SDK 1.17 `BetaSkill`). Every skill here is the team's own: `custom`. */
export function skillToWire(skill: Skill) {
  return {
    id: skill.id,
    type: "skill" as const,
    display_name: skill.displayName,
    latest_version_id: skill.latestVersionId,
    source: { type: "custom" as const },
    created_at: skill.createdAt.toISOString(),
    updated_at: skill.updatedAt.toISOString(),
  };
}

/** The SkillVersion object (`BetaSkillVersion`): `id` is what an agent's `skills[].version` names. */
export function skillVersionToWire(version: Pick<SkillVersion, "id" | "skillId" | "name" | "description" | "createdAt">) {
  return {
    id: version.id,
    type: "skill_version" as const,
    skill_id: version.skillId,
    name: version.name,
    description: version.description,
    created_at: version.createdAt.toISOString(),
  };
}
