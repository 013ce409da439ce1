import "server-only";
import type { TAgentConfig } from "./agent-config";

/** Where a session's skills are put in its sandbox: one folder each, `/workspace/.skills/<name>/`. */
export const SKILLS_DIR = "/workspace/.skills";

/** A skill as the harness gets it (lib/skills' `createSessionSkills`): files only when the sandbox is provisioned. */
export type TSessionSkill = { name: string; description: string; files?: { path: string; content: Buffer }[] };

/** Loads the skills of a session's agent snapshot (`skills[]`), at their pinned versions. */
export type TLoadSessionSkills = (session: { teamId: string; agentSnapshot: unknown }, options?: { withFiles?: boolean }) => Promise<TSessionSkill[]>;

/** The "Skills" section of the system prompt: each skill's name, description and folder; the model reads a SKILL.md when it needs it. */
export function skillsPrompt(skills: readonly Pick<TSessionSkill, "name" | "description">[]): string | null {
  if (skills.length === 0) return null;
  const lines = skills.map((s) => `- ${s.name}: ${s.description} (${SKILLS_DIR}/${s.name}/SKILL.md)`);
  return [
    "# Skills",
    `These skills are installed in ${SKILLS_DIR}/. When a task matches a skill's description, read its SKILL.md first (with the read tool or cat) and follow it; it may point to other files in its folder.`,
    ...lines,
  ].join("\n");
}

/** The agent with the Skills section appended to its system prompt (unchanged without skills). */
export function withSkillsPrompt(agent: TAgentConfig, skills: readonly Pick<TSessionSkill, "name" | "description">[]): TAgentConfig {
  const prompt = skillsPrompt(skills);
  return prompt ? { ...agent, system: agent.system ? `${agent.system}\n\n${prompt}` : prompt } : agent;
}

/** The files to write into a new sandbox for these skills: `/workspace/.skills/<name>/<path>`. */
export function skillFilesOf(skills: readonly TSessionSkill[]): { path: string; content: Buffer }[] {
  return skills.flatMap((s) => (s.files ?? []).map((f) => ({ path: `${SKILLS_DIR}/${s.name}/${f.path}`, content: f.content })));
}
