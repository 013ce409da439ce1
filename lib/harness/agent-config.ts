import "server-only";
import { z } from "zod";
import { BUILTIN_TOOL_DEFINITIONS, type BuiltinToolName } from "@/lib/tools/registry";
import type { ToolDefinition } from "@/lib/tools/types";
import type { TMcpServerConfig, TPermission } from "@/lib/mcp/types";
import { ADVISOR_TOOL_NAME, COORDINATOR_TOOL_NAMES, type TRosterAgent } from "./coordinator-tool-names";

/**
 * What the harness needs from the agent snapshot a session pinned at creation: model, system prompt
 * and tools, in the Managed Agents wire shape (reference §2.1). Unknown fields are ignored here: the
 * API validates agents when they are created.
 *
 * Built-in tools come from an `agent_toolset_20260401` entry. Decision: when the entry gives no
 * permission policy, tools run without asking (`always_allow`); `always_ask` makes every call wait for
 * a `user.tool_confirmation`. An agent without a toolset entry has no built-in tools.
 */
const ZPolicy = z.looseObject({ type: z.enum(["always_allow", "always_ask", "auto"]) });
const ZToolConfig = z.looseObject({ name: z.string(), enabled: z.boolean().optional(), permission_policy: ZPolicy.optional(), environment: z.string().nullish() });

const ZToolset = z.looseObject({
  type: z.literal("agent_toolset_20260401"),
  default_config: z.looseObject({ enabled: z.boolean().optional(), permission_policy: ZPolicy.optional(), environment: z.string().nullish() }).nullish(),
  configs: z.array(ZToolConfig).nullish(),
});
const ZCustomTool = z.looseObject({
  type: z.literal("custom"),
  name: z.string(),
  description: z.string().nullish(),
  input_schema: z.record(z.string(), z.unknown()),
});

const ZMcpToolset = z.looseObject({
  type: z.literal("mcp_toolset"),
  mcp_server_name: z.string(),
  default_config: z.looseObject({ enabled: z.boolean().nullish(), permission_policy: ZPolicy.nullish() }).nullish(),
  configs: z.array(z.looseObject({ name: z.string(), enabled: z.boolean().nullish(), permission_policy: ZPolicy.nullish() })).nullish(),
});
const ZMcpServerEntry = z.looseObject({ name: z.string(), url: z.string() });

const ZRosterAgent = z.looseObject({ id: z.string(), version: z.number(), name: z.string() });
const ZAgentSnapshot = z.looseObject({
  model: z.union([z.string(), z.looseObject({ id: z.string() })]),
  system: z.string().nullish(),
  tools: z.array(z.looseObject({ type: z.string() })).nullish(),
  mcp_servers: z.array(ZMcpServerEntry).nullish(),
  name: z.string().nullish(),
  id: z.string().nullish(),
  version: z.number().nullish(),
  multiagent: z
    .looseObject({
      type: z.string(),
      agents: z.array(z.union([ZRosterAgent, z.looseObject({ type: z.literal("advisor"), model: z.string() })])).nullish(),
      advisor: z.looseObject({ type: z.string(), model: z.string().nullish() }).nullish(),
      subagents: z.looseObject({ type: z.string(), inline_agents: z.looseObject({ type: z.string() }).nullish(), predefined_agents: z.array(ZRosterAgent).nullish() }).nullish(),
    })
    .nullish(),
});

export type TAgentConfig = {
  model: string;
  system: string | null;
  /**
   * `environment`: the session environment the tool runs in, as the toolset names it (the platform's
   * extension, lib/event-log/session-environments.ts); null: the session's primary.
   */
  builtinTools: Map<BuiltinToolName, { permission: TPermission; definition: ToolDefinition; environment: string | null }>;
  customTools: Map<string, { description: string; inputSchema: Record<string, unknown> }>;
  mcpServers: Map<string, TMcpServerConfig>;
  /** The agent's name (a thread's messages name their sender by it). */
  name: string;
  /**
   * A coordinator's roster, as the session pinned it (full agent definitions): the agent gets the
   * coordinator tools (coordinator-tools.ts). Null for any other agent, and for a thread's agent:
   * a delegated agent cannot delegate further (depth limit 1).
   */
  roster: TRosterAgent[] | null;
  /**
   * Whether `start_thread` may define an inline agent (`multiagent_20261001` with subagents and
   * inline agents enabled); `roster` is then non-null, if empty.
   */
  inlineAgents: boolean;
  /** The advisor model the agent may consult (`consult_advisor`), from `multiagent_20261001`'s `advisor`. */
  advisor: { model: string } | null;
  /** The saved agent (id, version) the config is of; null when the snapshot names none. */
  ref: { id: string; version: number } | null;
};

export const DEFAULT_MAX_TOKENS = 8192;

export function parseAgentConfig(snapshot: unknown): TAgentConfig {
  const agent = ZAgentSnapshot.parse(snapshot);
  const builtinTools: TAgentConfig["builtinTools"] = new Map();
  const customTools: TAgentConfig["customTools"] = new Map();
  const toolsets = new Map<string, z.infer<typeof ZMcpToolset>>();
  for (const entry of agent.tools ?? []) {
    if (entry.type === "agent_toolset_20260401") {
      const toolset = ZToolset.parse(entry);
      for (const definition of BUILTIN_TOOL_DEFINITIONS) {
        const config = toolset.configs?.find((c) => c.name === definition.name);
        const enabled = config?.enabled ?? toolset.default_config?.enabled ?? true;
        if (!enabled) continue;
        const policy = config?.permission_policy?.type ?? toolset.default_config?.permission_policy?.type ?? "always_allow";
        // `auto` would need a judge of each call; until there is one it fails closed, like `always_ask`.
        const environment = config?.environment ?? toolset.default_config?.environment ?? null;
        builtinTools.set(definition.name as BuiltinToolName, { permission: policy === "always_allow" ? "allow" : "ask", definition, environment });
      }
    } else if (entry.type === "custom") {
      const custom = ZCustomTool.parse(entry);
      customTools.set(custom.name, { description: custom.description ?? "", inputSchema: custom.input_schema });
    } else if (entry.type === "mcp_toolset") {
      const toolset = ZMcpToolset.parse(entry);
      toolsets.set(toolset.mcp_server_name, toolset);
    }
  }
  const mcpServers: TAgentConfig["mcpServers"] = new Map();
  for (const server of agent.mcp_servers ?? []) {
    const toolset = toolsets.get(server.name);
    if (!toolset) continue;
    const defaults = { enabled: toolset.default_config?.enabled ?? true, permission: permissionOf(toolset.default_config?.permission_policy?.type) };
    const tools = new Map(
      (toolset.configs ?? []).map((c) => [
        c.name,
        { enabled: c.enabled ?? defaults.enabled, permission: c.permission_policy ? permissionOf(c.permission_policy.type) : defaults.permission },
      ]),
    );
    mcpServers.set(server.name, { name: server.name, url: server.url, defaults, tools });
  }
  return {
    model: typeof agent.model === "string" ? agent.model : agent.model.id,
    system: agent.system ?? null,
    builtinTools,
    customTools,
    mcpServers,
    name: agent.name ?? "agent",
    ...multiagentOf(agent.multiagent),
    ref: agent.id && agent.version ? { id: agent.id, version: agent.version } : null,
  };
}

/**
 * What the agent may delegate: a coordinator's roster; a `multiagent_20261001`'s predefined agents
 * and inline agents (when subagents are enabled) and its advisor.
 */
function multiagentOf(multiagent: z.infer<typeof ZAgentSnapshot>["multiagent"]): Pick<TAgentConfig, "roster" | "inlineAgents" | "advisor"> {
  const rosterOf = (agents: z.infer<typeof ZRosterAgent>[]) => agents.map((a) => ({ id: a.id, version: a.version, name: a.name, snapshot: a as Record<string, unknown> }));
  if (multiagent?.type === "coordinator" && multiagent.agents) {
    const agents = multiagent.agents.filter((a): a is z.infer<typeof ZRosterAgent> => a.type !== "advisor");
    const advisor = multiagent.agents.find((a) => a.type === "advisor");
    // a roster of only an advisor starts no threads: the agent consults its advisor, nothing more
    return { roster: agents.length > 0 ? rosterOf(agents) : null, inlineAgents: false, advisor: advisor ? { model: String(advisor.model) } : null };
  }
  if (multiagent?.type === "multiagent_20261001") {
    const subagents = multiagent.subagents?.type === "enabled" ? multiagent.subagents : null;
    return {
      roster: subagents ? rosterOf(subagents.predefined_agents ?? []) : null,
      inlineAgents: subagents?.inline_agents?.type === "enabled",
      advisor: multiagent.advisor?.type === "enabled" && multiagent.advisor.model ? { model: multiagent.advisor.model } : null,
    };
  }
  return { roster: null, inlineAgents: false, advisor: null };
}

/** A roster agent's config, as a thread runs it: never a coordinator itself (depth limit 1). */
export function threadAgentConfig(agent: TRosterAgent): TAgentConfig {
  return { ...parseAgentConfig({ ...agent.snapshot, multiagent: null }), roster: null, inlineAgents: false, advisor: null };
}

/** `auto` has no judge yet: it fails closed, like `always_ask`. */
function permissionOf(policy: "always_allow" | "always_ask" | "auto" | undefined): TPermission {
  return policy === undefined || policy === "always_allow" ? "allow" : "ask";
}

/** The names of the agent's own tools, which an MCP tool's model-facing name must not take. */
export function ownToolNames(agent: TAgentConfig): Set<string> {
  return new Set<string>([...agent.builtinTools.keys(), ...agent.customTools.keys(), ...(agent.roster ? COORDINATOR_TOOL_NAMES : []), ...(agent.advisor ? [ADVISOR_TOOL_NAME] : [])]);
}
