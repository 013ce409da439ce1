import "server-only";
import type { TInlineAgent } from "@/lib/event-log/threads";
import type { TAgentConfig } from "./agent-config";

/**
 * An inline agent (`multiagent_20261001` with `subagents.inline_agents` enabled): defined by the
 * coordinator in its `start_thread` call, run as that thread's agent, never saved. Decision: a
 * small, safe subset of an agent's definition:
 * - `name` (1–64 characters) and `system` (at most 20,000 characters);
 * - `model`: a model id, the coordinator's own model when omitted;
 * - `tools`: names of built-in tools the coordinator itself has enabled, each with the
 *   coordinator's permission policy (no tools when omitted); no MCP servers, custom tools,
 *   skills or threads of its own (depth limit 1).
 * Returns the definition as `session.thread_created` records it, or why the input is refused.
 */
export const INLINE_AGENT_INPUT_SCHEMA = {
  type: "object",
  description: "An agent you define for this thread alone.",
  properties: {
    name: { type: "string", description: "A short name for the agent." },
    system: { type: "string", description: "The agent's system prompt." },
    model: { type: "string", description: "A model id; your own model when omitted." },
    tools: { type: "array", items: { type: "string" }, description: "Names of your built-in tools it may use; none when omitted." },
  },
  required: ["name", "system"],
} as const;

const MAX_NAME = 64;
const MAX_SYSTEM = 20_000;

export function inlineAgentOf(input: unknown, coordinator: Pick<TAgentConfig, "model" | "builtinTools">): TInlineAgent | string {
  if (!input || typeof input !== "object" || Array.isArray(input)) return "inline_agent: must be an object {name, system, model?, tools?}.";
  const { name, system, model, tools } = input as Record<string, unknown>;
  if (typeof name !== "string" || name.trim() === "" || name.length > MAX_NAME) return `inline_agent.name: must be 1–${MAX_NAME} characters.`;
  if (typeof system !== "string" || system.length > MAX_SYSTEM) return `inline_agent.system: must be a string of at most ${MAX_SYSTEM} characters.`;
  if (model !== undefined && (typeof model !== "string" || model.trim() === "" || model.length > 256)) return "inline_agent.model: must be a model id.";
  if (tools !== undefined && (!Array.isArray(tools) || tools.some((t) => typeof t !== "string"))) return "inline_agent.tools: must be a list of tool names.";
  const names = [...new Set((tools ?? []) as string[])];
  const unknown = names.find((t) => !coordinator.builtinTools.has(t as never));
  if (unknown !== undefined) {
    return `inline_agent.tools: ${unknown.slice(0, 64)} is not one of your built-in tools (${[...coordinator.builtinTools.keys()].join(", ") || "you have none"}).`;
  }
  const configs = names.map((t) => ({
    name: t,
    enabled: true,
    permission_policy: { type: coordinator.builtinTools.get(t as never)!.permission === "allow" ? "always_allow" : "always_ask" },
  }));
  return {
    name: name.trim(),
    system: system === "" ? null : system,
    model: { id: typeof model === "string" ? model.trim() : coordinator.model },
    tools: configs.length > 0 ? [{ type: "agent_toolset_20260401", default_config: { enabled: false }, configs }] : [],
  };
}
