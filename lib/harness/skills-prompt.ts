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

/**
 * The skills of a coordinator's callable agents (its roster, as the session pinned it), by roster
 * entry (`<id>@<version>`): each child thread's system prompt gets its own agent's, and the
 * sandbox the threads share gets all of them (provision-context.ts). Read once per wake.
 */
export async function loadRosterSkills(
  load: TLoadSessionSkills,
  teamId: string,
  roster: readonly { id: string; version: number; snapshot: unknown }[],
  options: { withFiles?: boolean } = {},
): Promise<Map<string, TSessionSkill[]>> {
  const out = new Map<string, TSessionSkill[]>();
  for (const entry of roster) out.set(rosterKey(entry), await load({ teamId, agentSnapshot: entry.snapshot }, options));
  return out;
}

export const rosterKey = (entry: { id: string; version: number }) => `${entry.id}@${entry.version}`;

/**
 * One skill per folder name: the first given wins (the session's own agent's before its callable
 * agents'), since two skills of one name would share `/workspace/.skills/<name>/`.
 */
export function uniqueSkills(skills: readonly TSessionSkill[]): TSessionSkill[] {
  const seen = new Set<string>();
  return skills.filter((s) => !seen.has(s.name) && seen.add(s.name));
}

/** The files to write into a new sandbox for these skills: `/workspace/.skills/<name>/<path>`. */
export function skillFilesOf(skills: readonly TSessionSkill[]): { path: string; content: Buffer }[] {
  return skills.flatMap((s) => (s.files ?? []).map((f) => ({ path: `${SKILLS_DIR}/${s.name}/${f.path}`, content: f.content })));
}
