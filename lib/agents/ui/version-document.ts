import type { TWireAgent } from "@/lib/agents/agent-to-wire";

/**
 * One version of an agent as text to compare with another: what the version holds (not its id,
 * number or dates), as JSON with object keys sorted and two-space indentation, so that equal
 * content always gives equal lines. A multi-line system prompt is shown as a list of its lines, so
 * an edit to one line of the prompt is one changed line in the diff, not the whole prompt.
 */
export const VERSION_FIELDS = ["name", "description", "model", "system", "tools", "mcp_servers", "skills", "metadata", "execution_identity", "multiagent"] as const;
export type TVersionField = (typeof VERSION_FIELDS)[number];

export type TVersionContent = Pick<TWireAgent, TVersionField>;

const FIELD_LABELS: Record<TVersionField, string> = {
  name: "name",
  description: "description",
  model: "model",
  system: "system prompt",
  tools: "tools",
  mcp_servers: "MCP servers",
  skills: "skills",
  metadata: "metadata",
  execution_identity: "execution identity",
  multiagent: "multi-agent",
};

export function versionDocument(agent: TVersionContent): string[] {
  const content: Record<string, unknown> = {};
  for (const field of VERSION_FIELDS) content[field] = agent[field];
  if (typeof agent.system === "string" && agent.system.includes("\n")) content.system = agent.system.split("\n");
  return stableJson(content).split("\n");
}

/** `JSON.stringify(value, null, 2)` with the keys of every object in sorted order. */
export function stableJson(value: unknown): string {
  return JSON.stringify(sortKeys(value), null, 2) ?? "null";
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === "object") {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return Object.fromEntries(entries.map(([k, v]) => [k, sortKeys(v)]));
  }
  return value;
}

/** What differs between two versions, in words for a list ("system prompt", "tools"). */
export function changedFields(before: TVersionContent, after: TVersionContent): string[] {
  return VERSION_FIELDS.filter((field) => stableJson(before[field]) !== stableJson(after[field])).map((field) => FIELD_LABELS[field]);
}
