import { describe, expect, it } from "vitest";
import { applyAgentUpdate, contentFromCreate, sameContent } from "@/lib/agents/agent-content";
import { parseBody } from "@/lib/resource/metadata";
import { ZAgentCreateSchema, ZAgentUpdateSchema } from "@/lib/agents/schemas";
import { AppError } from "@/lib/errors";
import {
  agentCreateBody,
  agentFieldOfPath,
  agentFormData,
  agentFormValues,
  agentUpdateBody,
  modelSuggestions,
  newAgentFormValues,
  type TAgentFormInput,
  type TAgentFormValues,
} from "@/lib/agents/ui/agent-form";

/** A stored version as the API returns it, from a create body. */
function version(body: Record<string, unknown>, number = 1) {
  return { ...contentFromCreate(parseBody(ZAgentCreateSchema, body)), version: number };
}

/** The form as submitted: the schema text parsed (the action does this). */
function submitted(values: TAgentFormValues): TAgentFormInput {
  return { ...values, custom: values.custom.map((row) => ({ ...row, input_schema: JSON.parse(row.input_schema) as Record<string, unknown> })) };
}

/** What saving the form would store: the update applied by the use-case's own functions. */
function saved(current: ReturnType<typeof version>, values: TAgentFormValues) {
  const { body } = agentUpdateBody(submitted(values), current);
  return applyAgentUpdate(current, parseBody(ZAgentUpdateSchema, body));
}

const RICH = {
  name: "Researcher",
  model: { id: "claude-test", effort: "high" },
  description: "Finds things",
  system: "Be thorough.\nCite sources.",
  mcp_servers: [{ type: "url", name: "docs", url: "https://mcp.example.com" }],
  tools: [
    { type: "custom", name: "lookup", description: "Look a word up", input_schema: { type: "object", properties: { word: { type: "string" } }, required: ["word"] } },
    {
      type: "agent_toolset_20260401",
      default_config: { permission_policy: { type: "always_ask" } },
      configs: [
        { name: "bash", enabled: false },
        { name: "web_fetch", allowed_domains: ["example.com"] },
      ],
    },
    { type: "mcp_toolset", mcp_server_name: "docs" },
    { type: "custom", name: "notify", description: "", input_schema: { type: "object" } },
  ],
  metadata: { owner: "search" },
};

describe("the agent form's values", () => {
  it("shows each built-in tool as the harness reads it: its config, else the toolset's defaults", () => {
    const values = agentFormValues(version(RICH));
    expect(values).toMatchObject({ name: "Researcher", description: "Finds things", model: "claude-test", system: "Be thorough.\nCite sources." });
    const rows = Object.fromEntries(values.builtin.map((row) => [row.name, row]));
    expect(rows.bash).toEqual({ name: "bash", enabled: false, policy: "always_ask" });
    expect(rows.read).toEqual({ name: "read", enabled: true, policy: "always_ask" });
    expect(rows.web_fetch).toEqual({ name: "web_fetch", enabled: true, policy: "always_ask" });
    expect(values.custom.map((row) => row.name)).toEqual(["lookup", "notify"]);
    expect(JSON.parse(values.custom[0]!.input_schema)).toEqual(RICH.tools[0]!.input_schema);
  });

  it("shows every built-in tool off for an agent without the toolset", () => {
    const values = agentFormValues(version({ name: "plain", model: "m" }));
    expect(values.builtin.every((row) => !row.enabled)).toBe(true);
    expect(values.builtin.map((row) => row.name)).toEqual(["bash", "edit", "read", "write", "glob", "grep", "web_fetch", "web_search"]);
  });

  it("starts a new agent on the model it is given (the server's default), or an empty field", () => {
    expect(newAgentFormValues([], "claude-opus-4-1").model).toBe("claude-opus-4-1");
    expect(newAgentFormValues([]).model).toBe("");
  });

  it("starts a new agent with the given tools on", () => {
    const values = newAgentFormValues(["bash", "read"]);
    expect(values.builtin.filter((row) => row.enabled).map((row) => row.name)).toEqual(["bash", "read"]);
  });
});

describe("saving the agent form", () => {
  it("changes nothing when nothing was edited, so no version is written", () => {
    for (const body of [RICH, { name: "plain", model: "m" }, { name: "toolset", model: "m", tools: [{ type: "agent_toolset_20260401" }] }]) {
      const current = version(body);
      expect(sameContent(current, saved(current, agentFormValues(current)))).toBe(true);
    }
  });

  it("changes only what was edited, and keeps what the form does not show", () => {
    const current = version(RICH, 3);
    const values = agentFormValues(current);
    values.system = "Be brief.";
    values.builtin = values.builtin.map((row) => (row.name === "read" ? { ...row, policy: "always_allow" } : row));
    values.custom = values.custom.filter((row) => row.name !== "lookup");
    const next = saved(current, values);

    expect(next.system).toBe("Be brief.");
    expect(next.model).toEqual({ id: "claude-test", effort: { type: "high" } });
    expect(next.metadata).toEqual({ owner: "search" });
    expect(next.mcp_servers).toEqual(RICH.mcp_servers);
    // Custom tools fill the places custom tools had: the one left takes the first.
    expect(next.tools.map((tool) => tool.type)).toEqual(["custom", "agent_toolset_20260401", "mcp_toolset"]);
    expect(next.tools[0]).toMatchObject({ type: "custom", name: "notify" });
    const toolset = next.tools[1] as unknown as { default_config: unknown; configs: { name: string; enabled: boolean; permission_policy: { type: string }; allowed_domains?: string[] }[] };
    expect(toolset.default_config).toEqual({ enabled: true, permission_policy: { type: "always_ask" } });
    expect(toolset.configs.map((c) => [c.name, c.enabled, c.permission_policy.type])).toEqual([
      ["bash", false, "always_ask"],
      ["web_fetch", true, "always_ask"],
      ["read", true, "always_allow"],
    ]);
    expect(toolset.configs[1]!.allowed_domains).toEqual(["example.com"]);
  });

  it("names the version it was edited from, so a newer version makes the save fail", () => {
    const current = version(RICH, 7);
    expect(agentUpdateBody(submitted(agentFormValues(current)), current).body.version).toBe(7);
  });

  it("adds the toolset, first, when a tool is enabled on an agent without one", () => {
    const current = version({ name: "plain", model: "m", tools: [{ type: "custom", name: "c", description: "", input_schema: { type: "object" } }] });
    const values = agentFormValues(current);
    values.builtin = values.builtin.map((row) => (row.name === "bash" ? { ...row, enabled: true, policy: "always_ask" } : row));
    const next = saved(current, values);
    expect(next.tools.map((tool) => tool.type)).toEqual(["agent_toolset_20260401", "custom"]);
    const toolset = next.tools[0] as unknown as { configs: { name: string; enabled: boolean }[] };
    // Defaults are "all on": every tool left off needs a config saying so.
    expect(toolset.configs.find((c) => c.name === "bash")).toMatchObject({ enabled: true, permission_policy: { type: "always_ask" } });
    expect(toolset.configs.filter((c) => !c.enabled).map((c) => c.name)).toEqual(["edit", "read", "write", "glob", "grep", "web_fetch", "web_search"]);
  });

  it("builds a create body the API accepts, without a toolset when no tool is on", () => {
    const values: TAgentFormValues = { ...newAgentFormValues([]), name: "n", model: "m" };
    const { body } = agentCreateBody(submitted(values));
    expect(body).toEqual({ name: "n", model: "m", description: null, system: null, tools: [], mcp_servers: [] });
    expect(() => parseBody(ZAgentCreateSchema, body)).not.toThrow();
  });

  it("says which form field an API error is about", () => {
    const current = version(RICH);
    const { owners } = agentUpdateBody(submitted(agentFormValues(current)), current);
    expect(owners).toEqual(["custom.0", "builtin", "mcp.0", "custom.1"]);
    expect(agentFieldOfPath("tools[3].input_schema.type", owners)).toEqual({ field: "custom.1.input_schema", inner: ".type" });
    expect(agentFieldOfPath("tools[0].name", owners)).toEqual({ field: "custom.0.name", inner: "" });
    expect(agentFieldOfPath("tools[1].configs[0].name", owners)).toEqual({ field: "builtin", inner: "" });
    // An MCP toolset's errors belong to its server's row (the name it refers to the server by).
    expect(agentFieldOfPath("tools[2].mcp_server_name", owners)).toEqual({ field: "mcp.0.name", inner: "" });
    expect(agentFieldOfPath("mcp_servers[0].url", owners)).toEqual({ field: "mcp.0.url", inner: "" });
    expect(agentFieldOfPath("mcp_servers[3].name", owners)).toEqual({ field: "mcp.3.name", inner: "" });
    expect(agentFieldOfPath("mcp_servers[1]", owners)).toEqual({ field: "mcp.1.name", inner: "" });
    expect(agentFieldOfPath("mcp_servers", owners)).toEqual({ field: "mcp", inner: "" });
    expect(agentFieldOfPath("name", owners)).toEqual({ field: "name", inner: "" });
    expect(agentFieldOfPath("model.id", owners)).toEqual({ field: "model", inner: "" });
    expect(agentFieldOfPath("metadata.x", owners)).toBeNull();
  });
});

describe("the agent form's MCP servers", () => {
  const WITH_SERVERS = {
    name: "Connector",
    model: "m",
    mcp_servers: [
      { type: "url", name: "docs", url: "https://docs.example.com/mcp" },
      { type: "url", name: "issues", url: "https://issues.example.com/mcp" },
    ],
    tools: [
      { type: "mcp_toolset", mcp_server_name: "issues", default_config: { permission_policy: { type: "always_ask" } }, configs: [{ name: "delete_issue", enabled: false }] },
      { type: "agent_toolset_20260401" },
      { type: "mcp_toolset", mcp_server_name: "docs" },
    ],
  };
  /** The failure of saving `values` over `current`, through the API's own schema and checks. */
  const refusal = (current: ReturnType<typeof version>, values: TAgentFormValues) => {
    try {
      saved(current, values);
    } catch (error) {
      return error instanceof AppError ? { message: error.message, path: error.details?.path } : error;
    }
    return null;
  };

  it("shows each server with its toolset's enabled and permission policy", () => {
    expect(agentFormValues(version(WITH_SERVERS)).mcp).toEqual([
      { name: "docs", url: "https://docs.example.com/mcp", original: "docs", enabled: true, policy: "always_allow" },
      { name: "issues", url: "https://issues.example.com/mcp", original: "issues", enabled: true, policy: "always_ask" },
    ]);
  });

  it("renames a server with its toolset in place, keeping the toolset's per-tool configs", () => {
    const current = version(WITH_SERVERS);
    const values = agentFormValues(current);
    values.mcp[1] = { ...values.mcp[1]!, name: "tracker", enabled: false };
    const next = saved(current, values);
    expect(next.mcp_servers.map((server) => server.name)).toEqual(["docs", "tracker"]);
    expect(next.tools[0]).toMatchObject({
      type: "mcp_toolset",
      mcp_server_name: "tracker",
      default_config: { enabled: false, permission_policy: { type: "always_ask" } },
      configs: [{ name: "delete_issue", enabled: false }],
    });
    expect(next.tools.map((tool) => tool.type)).toEqual(["mcp_toolset", "agent_toolset_20260401", "mcp_toolset"]);
  });

  it("removes a server with its toolset, and adds a new one's toolset last", () => {
    const current = version(WITH_SERVERS);
    const values = agentFormValues(current);
    values.mcp = [values.mcp[0]!, { name: "search", url: "https://search.example.com/mcp", original: "", enabled: true, policy: "always_ask" }];
    const next = saved(current, values);
    expect(next.mcp_servers).toEqual([WITH_SERVERS.mcp_servers[0], { type: "url", name: "search", url: "https://search.example.com/mcp" }]);
    expect(next.tools.map((tool) => [tool.type, tool.mcp_server_name])).toEqual([
      ["agent_toolset_20260401", undefined],
      ["mcp_toolset", "docs"],
      ["mcp_toolset", "search"],
    ]);
    expect(next.tools[2]).toMatchObject({ default_config: { enabled: true, permission_policy: { type: "always_ask" } } });
  });

  it("builds a create body with servers and toolsets the API accepts", () => {
    const values: TAgentFormValues = { ...newAgentFormValues([]), name: "n", model: "m", mcp: [{ name: "docs", url: "https://docs.example.com/mcp", original: "", enabled: true, policy: "always_allow" }] };
    const { body, owners } = agentCreateBody(submitted(values));
    expect(body).toMatchObject({ mcp_servers: [{ type: "url", name: "docs", url: "https://docs.example.com/mcp" }], tools: [{ type: "mcp_toolset", mcp_server_name: "docs" }] });
    expect(owners).toEqual(["mcp.0"]);
    expect(() => contentFromCreate(parseBody(ZAgentCreateSchema, body))).not.toThrow();
  });

  it("is refused by the API's checks with a path that names the row", () => {
    const current = version(WITH_SERVERS);
    const values = agentFormValues(current);
    const duplicate = { ...values, mcp: [values.mcp[0]!, { ...values.mcp[1]!, name: "docs" }] };
    expect(refusal(current, duplicate)).toEqual({ message: 'mcp_servers[1].name: duplicate MCP server name "docs"', path: "mcp_servers[1].name" });
    const badUrl = { ...values, mcp: [{ ...values.mcp[0]!, url: "ftp://docs.example.com" }, values.mcp[1]!] };
    expect(refusal(current, badUrl)).toEqual({ message: "mcp_servers[0].url: must be an http(s) URL", path: "mcp_servers[0].url" });
  });
});

describe("reading the submitted form", () => {
  it("reads text fields, checkboxes and the custom tool rows in order", () => {
    const form = new FormData();
    form.set("name", "n");
    form.set("model", "m");
    form.set("system", "one\r\ntwo\rthree");
    form.set("version", "4");
    form.set("builtin.bash.enabled", "on");
    form.set("builtin.bash.policy", "always_ask");
    form.set("custom.1.name", "second");
    form.set("custom.1.input_schema", "{}");
    form.set("custom.0.name", "first");
    const data = agentFormData(form) as { builtin: { name: string; enabled: boolean; policy: string }[]; custom: { name: string }[] };
    // Line breaks as browsers submit them (CRLF) become the API's LF.
    expect(data).toMatchObject({ name: "n", model: "m", description: "", system: "one\ntwo\nthree", version: "4" });
    expect(data.builtin.find((row) => row.name === "bash")).toEqual({ name: "bash", enabled: true, policy: "always_ask" });
    expect(data.builtin.find((row) => row.name === "read")).toEqual({ name: "read", enabled: false, policy: "always_allow" });
    expect(data.custom.map((row) => row.name)).toEqual(["first", "second"]);
  });

  it("reads the MCP server rows in order, the tools' checkbox as a boolean", () => {
    const form = new FormData();
    form.set("mcp.1.name", "search");
    form.set("mcp.1.url", " https://search.example.com/mcp ");
    form.set("mcp.1.original", "");
    form.set("mcp.1.policy", "always_ask");
    form.set("mcp.0.name", "docs");
    form.set("mcp.0.url", "https://docs.example.com/mcp");
    form.set("mcp.0.original", "docs");
    form.set("mcp.0.enabled", "on");
    form.set("mcp.0.policy", "always_allow");
    expect((agentFormData(form) as { mcp: unknown }).mcp).toEqual([
      { name: "docs", url: "https://docs.example.com/mcp", original: "docs", enabled: true, policy: "always_allow" },
      { name: "search", url: "https://search.example.com/mcp", original: "", enabled: false, policy: "always_ask" },
    ]);
  });
});

it("suggests the team's models first, each once", () => {
  expect(modelSuggestions(["my-model", "claude-sonnet-4-5", "my-model"])).toEqual(["my-model", "claude-sonnet-4-5", "claude-opus-4-1", "claude-haiku-4-5"]);
});
