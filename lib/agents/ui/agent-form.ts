import type { TWireAgent } from "@/lib/agents/agent-to-wire";
import { BUILTIN_TOOL_NAMES, type TBuiltinToolName } from "@/lib/agents/tool-schemas";
import { MCP_TOOLSET_TYPE, mcpServerRows, mcpServersFromRows, mcpToolsetFromRow, rowOfToolset, type TMcpServerRow } from "./mcp-servers-form";

/**
 * The agent form's model: its fields from an agent (`agentFormValues`), the names of its inputs
 * (shared by the form and the action that reads them), and the request body of the agent API built
 * from what was submitted (`agentCreateBody`, `agentUpdateBody`). Pure: no I/O.
 *
 * The form edits name, description, model id, system prompt, the built-in tools (enabled and
 * permission policy each), the custom tools and the MCP servers with their toolsets
 * (mcp-servers-form.ts). Everything else an agent holds (model options, per-tool MCP configs, web
 * tool settings, metadata, skills…) is kept as it is, and an unchanged form
 * gives a body that changes nothing, so saving it does not make a new version.
 */
export const PERMISSION_POLICIES = ["always_allow", "always_ask", "auto"] as const;
export type TPolicyName = (typeof PERMISSION_POLICIES)[number];

export type TBuiltinToolRow = { name: TBuiltinToolName; enabled: boolean; policy: TPolicyName };
export type TCustomToolRow = { name: string; description: string; input_schema: string };

/** What the form shows and edits: text as typed, the input schema as JSON text. */
export type TAgentFormValues = {
  name: string;
  description: string;
  model: string;
  system: string;
  builtin: TBuiltinToolRow[];
  custom: TCustomToolRow[];
  mcp: TMcpServerRow[];
};

/** What the action passes on once the form's own checks passed: the input schemas are parsed. */
export type TAgentFormInput = Omit<TAgentFormValues, "custom"> & {
  custom: { name: string; description: string; input_schema: Record<string, unknown> }[];
};

export const TOOLSET_TYPE = "agent_toolset_20260401";

export const agentFieldNames = {
  builtinEnabled: (tool: string) => `builtin.${tool}.enabled`,
  builtinPolicy: (tool: string) => `builtin.${tool}.policy`,
  custom: (index: number, part: keyof TCustomToolRow) => `custom.${index}.${part}`,
  mcp: (index: number, part: keyof TMcpServerRow) => `mcp.${index}.${part}`,
};

export const EMPTY_INPUT_SCHEMA = `{\n  "type": "object",\n  "properties": {}\n}`;

type TToolsetConfig = Record<string, unknown> & { name: string; enabled?: boolean; permission_policy?: { type: TPolicyName } };
type TToolset = { type: typeof TOOLSET_TYPE; default_config: { enabled: boolean; permission_policy: { type: TPolicyName } }; configs: TToolsetConfig[] };
type TTool = Record<string, unknown> & { type: string };

/** The API's default for a toolset that does not say: every tool enabled, none asking. */
const API_DEFAULTS: TToolset["default_config"] = { enabled: true, permission_policy: { type: "always_allow" } };

/** The form of a new agent: `model` filled in (the server's default), the tools in `enabledTools` on and allowed, the others off. */
export function newAgentFormValues(enabledTools: readonly string[], model = ""): TAgentFormValues {
  return {
    name: "",
    description: "",
    model,
    system: "",
    builtin: BUILTIN_TOOL_NAMES.map((name) => ({ name, enabled: enabledTools.includes(name), policy: "always_allow" })),
    custom: [],
    mcp: [],
  };
}

/** The form of an existing agent version; each built-in tool as the harness reads it (config, else the toolset's defaults). */
export function agentFormValues(agent: Pick<TWireAgent, "name" | "description" | "model" | "system" | "tools" | "mcp_servers">): TAgentFormValues {
  const toolset = findToolset(agent.tools);
  return {
    name: agent.name,
    description: agent.description ?? "",
    model: agent.model.id,
    system: agent.system ?? "",
    builtin: BUILTIN_TOOL_NAMES.map((name) => {
      if (!toolset) return { name, enabled: false, policy: "always_allow" };
      const config = toolset.configs.find((c) => c.name === name);
      return {
        name,
        enabled: config?.enabled ?? toolset.default_config.enabled,
        policy: config?.permission_policy?.type ?? toolset.default_config.permission_policy.type,
      };
    }),
    custom: agent.tools
      .filter((tool) => tool.type === "custom")
      .map((tool) => ({
        name: String(tool.name ?? ""),
        description: String(tool.description ?? ""),
        input_schema: JSON.stringify(tool.input_schema ?? {}, null, 2),
      })),
    mcp: mcpServerRows(agent),
  };
}

function findToolset(tools: readonly TTool[]): TToolset | undefined {
  const found = tools.find((tool) => tool.type === TOOLSET_TYPE) as Partial<TToolset> | undefined;
  if (!found) return undefined;
  return { type: TOOLSET_TYPE, default_config: found.default_config ?? API_DEFAULTS, configs: found.configs ?? [] };
}

/**
 * Which form field each entry of a body's `tools` came from: `builtin`, `custom.<i>`, `mcp.<i>`
 * (an MCP server's toolset), or null for an entry the form does not edit. Used to put the API's errors (`tools[3].input_schema.type: …`)
 * next to the right field.
 */
export type TToolOwners = (string | null)[];

/**
 * The `tools` of the body: the current entries in their order, with the toolset replaced by the
 * form's built-in tools, the custom tools by the form's (in the form's order), and each MCP toolset
 * by its row's (dropped with its row); entries the form does not edit are kept. A new toolset is
 * added first, only when a tool is enabled; the toolsets of new MCP servers last.
 */
export function toolsFromForm(form: Pick<TAgentFormInput, "builtin" | "custom" | "mcp">, current: readonly TTool[] = []): { tools: TTool[]; owners: TToolOwners } {
  const currentToolset = findToolset(current);
  const toolset = currentToolset || form.builtin.some((row) => row.enabled) ? toolsetFromRows(form.builtin, currentToolset) : null;
  const customs = form.custom.map((row) => ({ type: "custom", name: row.name, description: row.description, input_schema: row.input_schema }));
  const tools: TTool[] = [];
  const owners: TToolOwners = [];
  const add = (tool: TTool, owner: string | null) => {
    tools.push(tool);
    owners.push(owner);
  };
  if (toolset && !currentToolset) add(toolset, "builtin");
  let nextCustom = 0;
  const placed = new Set<number>();
  for (const tool of current) {
    if (tool.type === TOOLSET_TYPE) {
      if (toolset) add(toolset, "builtin");
    } else if (tool.type === MCP_TOOLSET_TYPE) {
      const row = rowOfToolset(form.mcp, tool);
      if (row >= 0 && !placed.has(row)) {
        placed.add(row);
        add(mcpToolsetFromRow(form.mcp[row]!, tool), `mcp.${row}`);
      }
    } else if (tool.type === "custom") {
      if (nextCustom < customs.length) add(customs[nextCustom]!, `custom.${nextCustom}`);
      nextCustom++;
    } else {
      add(tool, null);
    }
  }
  for (; nextCustom < customs.length; nextCustom++) add(customs[nextCustom]!, `custom.${nextCustom}`);
  form.mcp.forEach((row, i) => {
    if (!placed.has(i)) add(mcpToolsetFromRow(row), `mcp.${i}`);
  });
  return { tools, owners };
}

/**
 * The toolset for the form's rows: the current defaults kept; each current config updated from its
 * row (its other settings, such as a web tool's domains, kept); a config added only for a tool whose
 * row differs from the defaults. An unchanged form gives back the current toolset exactly.
 */
function toolsetFromRows(rows: readonly TBuiltinToolRow[], current: TToolset | undefined): TToolset {
  const defaults = current?.default_config ?? API_DEFAULTS;
  const byName = new Map(rows.map((row) => [row.name as string, row]));
  const configs: TToolsetConfig[] = [];
  for (const config of current?.configs ?? []) {
    const row = byName.get(config.name);
    byName.delete(config.name);
    configs.push(row ? { ...config, enabled: row.enabled, permission_policy: { type: row.policy } } : config);
  }
  for (const row of byName.values()) {
    if (row.enabled !== defaults.enabled || row.policy !== defaults.permission_policy.type) {
      configs.push({ name: row.name, enabled: row.enabled, permission_policy: { type: row.policy } });
    }
  }
  return { type: TOOLSET_TYPE, default_config: defaults, configs };
}

/** The body of `POST /v1/agents` for the form. */
export function agentCreateBody(form: TAgentFormInput): { body: Record<string, unknown>; owners: TToolOwners } {
  const { tools, owners } = toolsFromForm(form);
  return {
    body: { name: form.name, model: form.model, description: form.description || null, system: form.system || null, tools, mcp_servers: mcpServersFromRows(form.mcp) },
    owners,
  };
}

/**
 * The body of `POST /v1/agents/{id}` for the form, edited from version `current` (which the body
 * names as `version`, so a newer version written meanwhile makes the update fail instead of being
 * overwritten). The model's other settings are kept.
 */
export function agentUpdateBody(form: TAgentFormInput, current: Pick<TWireAgent, "version" | "model" | "tools">): { body: Record<string, unknown>; owners: TToolOwners } {
  const { tools, owners } = toolsFromForm(form, current.tools);
  return {
    body: {
      version: current.version,
      name: form.name,
      model: { ...current.model, id: form.model },
      description: form.description,
      system: form.system,
      tools,
      mcp_servers: mcpServersFromRows(form.mcp),
    },
    owners,
  };
}

/**
 * The form field an API error path names (`tools[2].input_schema.type` → `custom.1.input_schema`,
 * `mcp_servers[1].url` → `mcp.1.url`, an MCP toolset's `mcp_server_name` → its row's name), with
 * the part of the path inside that field, or null when no field of the form is to blame.
 */
export function agentFieldOfPath(path: string, owners: TToolOwners): { field: string; inner: string } | null {
  const top = /^(name|description|system|model|version)(?=$|[.[])(.*)$/.exec(path);
  if (top) return { field: top[1]!, inner: top[1] === "model" ? "" : top[2]! };
  const server = /^mcp_servers(?:\[(\d+)\](?:\.(name|url))?)?/.exec(path);
  if (server) return server[1] === undefined ? { field: "mcp", inner: "" } : { field: `mcp.${server[1]}.${server[2] ?? "name"}`, inner: "" };
  const tool = /^tools\[(\d+)\](.*)$/.exec(path);
  if (!tool) return null;
  const owner = owners[Number(tool[1])];
  if (!owner) return null;
  if (owner === "builtin") return { field: "builtin", inner: "" };
  if (owner.startsWith("mcp.")) return { field: `${owner}.name`, inner: "" };
  const part = /^\.(name|description|input_schema)(.*)$/.exec(tool[2]!);
  return part ? { field: `${owner}.${part[1]}`, inner: part[2]! } : { field: `${owner}.name`, inner: "" };
}

/** The submitted form as plain values, for the action's schema: text fields, the rows, checkboxes as booleans. */
export function agentFormData(formData: FormData): Record<string, unknown> {
  const text = (key: string) => {
    const value = formData.get(key);
    // Browsers submit a textarea's line breaks as CRLF; the API's texts use LF.
    return typeof value === "string" ? value.replace(/\r\n?/g, "\n") : "";
  };
  const rowsOf = (prefix: string) => {
    const rows = new Set<number>();
    for (const key of formData.keys()) {
      const match = /^(\w+)\.(\d{1,4})\./.exec(key);
      if (match && match[1] === prefix) rows.add(Number(match[2]));
    }
    return [...rows].sort((a, b) => a - b);
  };
  return {
    name: text("name"),
    description: text("description"),
    model: text("model"),
    system: text("system"),
    ...(formData.has("version") ? { version: text("version") } : {}),
    builtin: BUILTIN_TOOL_NAMES.map((name) => ({
      name,
      enabled: formData.get(agentFieldNames.builtinEnabled(name)) === "on",
      policy: text(agentFieldNames.builtinPolicy(name)) || "always_allow",
    })),
    custom: rowsOf("custom").map((i) => ({
      name: text(agentFieldNames.custom(i, "name")),
      description: text(agentFieldNames.custom(i, "description")),
      input_schema: text(agentFieldNames.custom(i, "input_schema")),
    })),
    mcp: rowsOf("mcp").map((i) => ({
      name: text(agentFieldNames.mcp(i, "name")),
      url: text(agentFieldNames.mcp(i, "url")).trim(),
      original: text(agentFieldNames.mcp(i, "original")),
      enabled: formData.get(agentFieldNames.mcp(i, "enabled")) === "on",
      policy: text(agentFieldNames.mcp(i, "policy")) || "always_allow",
    })),
  };
}

/** How many segments of a form schema issue's path name the field: `custom.0.input_schema` is one field. */
export function agentFieldKeyLength(path: readonly PropertyKey[]): number {
  return path[0] === "custom" || path[0] === "builtin" || path[0] === "mcp" ? 3 : 1;
}

/** Model ids offered while typing: the ones the team's agents use, then a few current ones. */
export const SUGGESTED_MODELS = ["claude-sonnet-4-5", "claude-opus-4-1", "claude-haiku-4-5"] as const;

export function modelSuggestions(inUse: readonly string[]): string[] {
  return [...new Set([...inUse, ...SUGGESTED_MODELS])];
}
