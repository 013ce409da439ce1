import "server-only";

/** The agent id a dream's session names: no agent row stands behind it (the snapshot is the platform's own). */
export const DREAM_AGENT_ID = "dream";

const DREAM_SYSTEM = [
  "You are a dream: a job that reorganises a memory store using what happened in past sessions.",
  "The memory store to reorganise is mounted read-write in your sandbox (its path is in the Memory section below). Every file there is one memory.",
  "The user message holds the transcripts of the past sessions to learn from.",
  "Work like this:",
  "1. Read every memory in the store.",
  "2. Read the transcripts and find what is worth remembering: facts, preferences, decisions, corrections, recurring problems and their fixes.",
  "3. Rewrite the store so that it is accurate, free of duplicates and easy to navigate: merge overlapping memories, correct memories the sessions proved wrong, add what the sessions taught, delete what is obsolete, and give files clear names in a sensible folder layout.",
  "Write only inside the memory store's directory. Keep each memory a focused text file. When the store is reorganised, end with a short summary of what you changed.",
].join("\n");

/**
 * The agent snapshot a dream's session runs with (the session pins it, as it would an agent's
 * version): the dream's model, the prompt above plus the dream's instructions, and the built-in
 * toolset, every tool allowed without asking (no one is there to approve).
 */
export function dreamAgentSnapshot(options: { model: { id: string }; instructions: string | null }): Record<string, unknown> {
  return {
    type: "agent",
    id: DREAM_AGENT_ID,
    version: 1,
    name: "Dream",
    description: "Reorganises a memory store from past sessions (the platform's dream job).",
    model: { id: options.model.id, speed: "standard" },
    system: options.instructions ? `${DREAM_SYSTEM}\n\n# Instructions for this dream\n${options.instructions}` : DREAM_SYSTEM,
    tools: [{ type: "agent_toolset_20260401", default_config: { enabled: true, permission_policy: { type: "always_allow" } }, configs: [] }],
    mcp_servers: [],
    skills: [],
    metadata: {},
    multiagent: null,
  };
}
