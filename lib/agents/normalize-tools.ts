import type { z } from "zod";
import { AppError } from "@/lib/errors";
import type { TPermissionPolicy, TToolParams, ZUrlSourcesSchema } from "./tool-schemas";

/**
 * Turns validated `tools` params into the response shape (reference §2.1), with every default
 * filled in: a toolset's `default_config` is `{enabled: true, permission_policy: always_allow}`
 * unless given, and each entry of `configs` gets `type` (= its name) and the toolset's defaults for
 * what it leaves out. Only the tools named in `configs` are listed there; the others follow
 * `default_config`.
 */
type TDefaultConfig = { enabled: boolean; permission_policy: TPermissionPolicy };
export type TTool = Record<string, unknown> & { type: string };

function resolveDefaults(params: { enabled?: boolean | null; permission_policy?: TPermissionPolicy | null } | null | undefined): TDefaultConfig {
  return { enabled: params?.enabled ?? true, permission_policy: params?.permission_policy ?? { type: "always_allow" } };
}

type TFilter = NonNullable<z.infer<typeof ZUrlSourcesSchema>["server_tool_results"]>;
const filter = (value: TFilter | null | undefined) => (value == null ? null : typeof value === "string" ? { type: value } : value);

function normalizeOne(tool: TToolParams): TTool {
  switch (tool.type) {
    case "agent_toolset_20260401": {
      const defaults = resolveDefaults(tool.default_config);
      // the platform's `environment` (tool-schemas.ts) is kept only where it is given: an agent without it reads as before
      const environment = tool.default_config?.environment;
      return {
        type: tool.type,
        default_config: environment ? { ...defaults, environment } : defaults,
        configs: (tool.configs ?? []).map((config) => {
          const { name, type: _type, enabled, permission_policy, ...extra } = config;
          const out: Record<string, unknown> = { name, type: name, enabled: enabled ?? defaults.enabled, permission_policy: permission_policy ?? defaults.permission_policy };
          for (const [key, value] of Object.entries(extra)) if (value !== undefined && !(key === "environment" && value === null)) out[key] = value;
          if (config.name === "web_fetch") {
            const sources = config.url_sources;
            out.url_sources = sources
              ? { user_input: filter(sources.user_input), client_tool_results: filter(sources.client_tool_results), server_tool_results: filter(sources.server_tool_results) }
              : null;
          }
          return out;
        }),
      };
    }
    case "mcp_toolset": {
      const defaults = resolveDefaults(tool.default_config);
      return {
        type: tool.type,
        mcp_server_name: tool.mcp_server_name,
        default_config: defaults,
        configs: (tool.configs ?? []).map((c) => ({ name: c.name, enabled: c.enabled ?? defaults.enabled, permission_policy: c.permission_policy ?? defaults.permission_policy })),
      };
    }
    case "custom":
      return { type: tool.type, name: tool.name, description: tool.description, input_schema: tool.input_schema };
  }
}

export function normalizeTools(tools: readonly TToolParams[]): TTool[] {
  return tools.map(normalizeOne);
}

const invalid = (path: string, message: string) => new AppError("invalid_request", `${path}: ${message}`, { path });

/**
 * Rules that span entries (and `mcp_servers`): one built-in toolset; unique custom tool names;
 * unique names within each `configs`; MCP server names unique, each used by exactly one
 * `mcp_toolset`, and every `mcp_toolset` naming a server of `mcp_servers`.
 */
export function checkToolsAndServers(tools: readonly TTool[], servers: readonly { name: string }[]): void {
  const serverNames = new Set<string>();
  servers.forEach((server, i) => {
    if (serverNames.has(server.name)) throw invalid(`mcp_servers[${i}].name`, `duplicate MCP server name "${server.name}"`);
    serverNames.add(server.name);
  });
  const used = new Set<string>();
  const customNames = new Set<string>();
  let toolset = false;
  tools.forEach((tool, i) => {
    if (tool.type === "agent_toolset_20260401") {
      if (toolset) throw invalid(`tools[${i}]`, "only one agent_toolset_20260401 entry is allowed");
      toolset = true;
    } else if (tool.type === "mcp_toolset") {
      const name = tool.mcp_server_name as string;
      if (!serverNames.has(name)) throw invalid(`tools[${i}].mcp_server_name`, `no MCP server named "${name}" in mcp_servers`);
      if (used.has(name)) throw invalid(`tools[${i}].mcp_server_name`, `MCP server "${name}" already has an mcp_toolset`);
      used.add(name);
    } else if (tool.type === "custom") {
      if (customNames.has(tool.name as string)) throw invalid(`tools[${i}].name`, `duplicate custom tool name "${tool.name as string}"`);
      customNames.add(tool.name as string);
    }
    const configs = (tool.configs ?? []) as { name: string }[];
    const seen = new Set<string>();
    configs.forEach((config, j) => {
      if (seen.has(config.name)) throw invalid(`tools[${i}].configs[${j}].name`, `"${config.name}" is configured twice`);
      seen.add(config.name);
    });
  });
  servers.forEach((server, i) => {
    if (!used.has(server.name)) throw invalid(`mcp_servers[${i}]`, `MCP server "${server.name}" is not referenced by any mcp_toolset in tools`);
  });
}
