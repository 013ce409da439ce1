import type { TWireAgent } from "@/lib/agents/agent-to-wire";

/**
 * The agent form's MCP servers, one row each: the server (`{type: "url", name, url}` of
 * `mcp_servers`) and its `mcp_toolset` (whether the server's tools are enabled, and their permission
 * policy). Pure: no I/O.
 *
 * Decision: a row is a server and its toolset together, since the API wants every server used by
 * exactly one toolset; so the form cannot make a toolset that names no server, nor a server without
 * one. A row remembers the name it was loaded with (`original`): a renamed server keeps its toolset
 * (and the per-tool `configs` the form does not show), and a removed row takes its toolset along.
 */
export type TMcpPolicyName = "always_allow" | "always_ask" | "auto";
export type TMcpServerRow = { name: string; url: string; original: string; enabled: boolean; policy: TMcpPolicyName };

export const MCP_TOOLSET_TYPE = "mcp_toolset";

type TTool = Record<string, unknown> & { type: string };
type TDefaultConfig = { enabled: boolean; permission_policy: { type: TMcpPolicyName } };

/** The API's defaults for a toolset that does not say: tools enabled, none asking. */
const API_DEFAULTS: TDefaultConfig = { enabled: true, permission_policy: { type: "always_allow" } };

export const NEW_MCP_SERVER_ROW: TMcpServerRow = { name: "", url: "", original: "", enabled: true, policy: "always_allow" };

function defaultsOf(tool: TTool | undefined): TDefaultConfig {
  const config = tool?.default_config as Partial<TDefaultConfig> | undefined;
  return { enabled: config?.enabled ?? API_DEFAULTS.enabled, permission_policy: config?.permission_policy ?? API_DEFAULTS.permission_policy };
}

/** The rows of an agent version: each server with its toolset's defaults. */
export function mcpServerRows(agent: Pick<TWireAgent, "mcp_servers" | "tools">): TMcpServerRow[] {
  return agent.mcp_servers.map((server) => {
    const toolset = agent.tools.find((tool) => tool.type === MCP_TOOLSET_TYPE && tool.mcp_server_name === server.name);
    const defaults = defaultsOf(toolset);
    return { name: server.name, url: server.url, original: server.name, enabled: defaults.enabled, policy: defaults.permission_policy.type };
  });
}

/** The body's `mcp_servers`, in the rows' order (a server's errors, `mcp_servers[i]`, are row i's). */
export function mcpServersFromRows(rows: readonly TMcpServerRow[]): { type: "url"; name: string; url: string }[] {
  return rows.map((row) => ({ type: "url", name: row.name, url: row.url }));
}

/**
 * The toolset of row `row`, from the one it was loaded with (`current`, kept as it is when nothing
 * of it changed) or new.
 */
export function mcpToolsetFromRow(row: TMcpServerRow, current?: TTool): TTool {
  const defaults = defaultsOf(current);
  const same = current && defaults.enabled === row.enabled && defaults.permission_policy.type === row.policy;
  const default_config = same ? current.default_config : { enabled: row.enabled, permission_policy: { type: row.policy } };
  return { ...(current ?? { type: MCP_TOOLSET_TYPE }), mcp_server_name: row.name, default_config };
}

/** Which row a current toolset belongs to: the row loaded with its server's name; -1 when the row was removed. */
export function rowOfToolset(rows: readonly TMcpServerRow[], tool: TTool): number {
  return rows.findIndex((row) => row.original !== "" && row.original === tool.mcp_server_name);
}
