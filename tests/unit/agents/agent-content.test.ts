import { describe, expect, it } from "vitest";
import { applyAgentUpdate, contentFromCreate, sameContent } from "@/lib/agents/agent-content";
import { parseBody } from "@/lib/resource/metadata";
import { ZAgentCreateSchema, ZAgentUpdateSchema } from "@/lib/agents/schemas";
import { AppError } from "@/lib/errors";

const create = (body: Record<string, unknown>) => contentFromCreate(parseBody(ZAgentCreateSchema, { name: "a", model: "m", ...body }));
const update = (current: ReturnType<typeof create>, body: Record<string, unknown>) => applyAgentUpdate(current, parseBody(ZAgentUpdateSchema, body));

function errorOf(fn: () => unknown): AppError {
  try {
    fn();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error("expected an AppError");
}

describe("agent content", () => {
  it("fills the response shape's defaults on create", () => {
    const content = create({
      model: { id: "claude-x", effort: "high" },
      tools: [{ type: "agent_toolset_20260401", configs: [{ name: "bash", permission_policy: { type: "always_ask" } }, { name: "web_fetch", url_sources: { user_input: "all" } }] }],
      skills: [{ type: "anthropic", skill_id: "xlsx" }],
    });
    expect(content.model).toEqual({ id: "claude-x", effort: { type: "high" } });
    expect(content.tools).toEqual([
      {
        type: "agent_toolset_20260401",
        default_config: { enabled: true, permission_policy: { type: "always_allow" } },
        configs: [
          { name: "bash", type: "bash", enabled: true, permission_policy: { type: "always_ask" } },
          {
            name: "web_fetch",
            type: "web_fetch",
            enabled: true,
            permission_policy: { type: "always_allow" },
            url_sources: { user_input: { type: "all" }, client_tool_results: null, server_tool_results: null },
          },
        ],
      },
    ]);
    expect(content.skills).toEqual([{ type: "anthropic", skill_id: "xlsx", version: "latest" }]);
    expect(content.execution_identity).toEqual({ type: "service_account" });
    expect(create({ description: "", system: "" })).toMatchObject({ description: null, system: null, tools: [], mcp_servers: [], metadata: {} });
  });

  it("keeps omitted fields, clears description and system, replaces lists, patches metadata", () => {
    const v1 = create({ description: "d", system: "s", metadata: { a: "1", b: "2" }, tools: [{ type: "agent_toolset_20260401" }] });
    const v2 = update(v1, { description: null, system: "", metadata: { a: null, c: "3" }, tools: [] });
    expect(v2).toMatchObject({ name: "a", model: { id: "m" }, description: null, system: null, metadata: { b: "2", c: "3" }, tools: [] });
    expect(update(v1, { model: "other" }).model).toEqual({ id: "other" });
  });

  it("sees an update that changes nothing as the same content, whatever the key order of stored JSON", () => {
    const v1 = create({ metadata: { a: "1" }, tools: [{ type: "custom", name: "t", description: "x", input_schema: { type: "object", properties: {} } }] });
    const reverseKeys = (value: unknown): unknown =>
      Array.isArray(value) ? value.map(reverseKeys) : value && typeof value === "object" ? Object.fromEntries(Object.entries(value).reverse().map(([k, v]) => [k, reverseKeys(v)])) : value;
    const reordered = reverseKeys(v1) as typeof v1;
    expect(JSON.stringify(reordered)).not.toBe(JSON.stringify(v1));
    expect(sameContent(v1, update(reordered, { name: "a", metadata: { a: "1" } }))).toBe(true);
    expect(sameContent(v1, update(v1, { metadata: { a: "2" } }))).toBe(false);
  });

  it("refuses MCP servers and toolsets that do not match", () => {
    const server = { type: "url", name: "docs", url: "https://mcp.example.com/sse" };
    expect(errorOf(() => create({ mcp_servers: [server] })).message).toMatch(/^mcp_servers\[0\]: MCP server "docs" is not referenced/);
    expect(errorOf(() => create({ tools: [{ type: "mcp_toolset", mcp_server_name: "nope" }] })).message).toMatch(/^tools\[0\]\.mcp_server_name: no MCP server named "nope"/);
    expect(errorOf(() => create({ mcp_servers: [server, server], tools: [{ type: "mcp_toolset", mcp_server_name: "docs" }] })).message).toMatch(/duplicate MCP server name/);
    const ok = create({ mcp_servers: [server], tools: [{ type: "mcp_toolset", mcp_server_name: "docs" }] });
    expect(ok.tools[0]).toEqual({ type: "mcp_toolset", mcp_server_name: "docs", default_config: { enabled: true, permission_policy: { type: "always_allow" } }, configs: [] });
    // removing the toolset but keeping the server leaves it unreferenced
    expect(errorOf(() => update(ok, { tools: [] })).message).toMatch(/not referenced/);
    expect(errorOf(() => create({ tools: [{ type: "agent_toolset_20260401" }, { type: "agent_toolset_20260401" }] })).message).toMatch(/only one agent_toolset_20260401/);
    const custom = { type: "custom", name: "t", description: "", input_schema: { type: "object" } };
    expect(errorOf(() => create({ tools: [custom, custom] })).message).toMatch(/^tools\[1\]\.name: duplicate custom tool name/);
  });
});

describe("agent request validation", () => {
  it("names the bad field", () => {
    expect(errorOf(() => create({ tools: [{ type: "custom", name: "t", description: "", input_schema: { type: "string" } }] })).message).toBe(
      'tools[0].input_schema.type: must be "object": a custom tool takes a JSON object as input',
    );
    expect(errorOf(() => create({ tools: [{ type: "custom", name: "bad name", description: "", input_schema: { type: "object" } }] })).message).toMatch(/^tools\[0\]\.name:/);
    expect(errorOf(() => create({ name: "x".repeat(257) })).message).toMatch(/^name: at most 256/);
    expect(errorOf(() => create({ system: "x".repeat(100_001) })).message).toMatch(/^system:/);
    expect(errorOf(() => create({ tools: Array.from({ length: 257 }, () => ({ type: "agent_toolset_20260401" })) })).message).toMatch(/^tools: at most 256/);
    expect(errorOf(() => create({ tools: [{ type: "agent_toolset_20260401", configs: [{ name: "rm" }] }] })).message).toMatch(/^tools\[0\]\.configs\[0\]\.name:/);
    expect(errorOf(() => create({ colour: "red" })).message).toBe('body: unknown field "colour"');
    expect(errorOf(() => create({ multiagent: { type: "coordinator", agents: [] } })).message).toMatch(/^multiagent(\.agents)?: .*at least 1/);
    expect(errorOf(() => create({ multiagent: { type: "multiagent_20261001", workflows: { type: "enabled" } } })).message).toMatch(/^multiagent\.workflows: .*not supported/);
    expect(errorOf(() => create({ multiagent: { type: "swarm" } })).message).toMatch(/^multiagent(\.type)?: /);
  });

  it("refuses to clear name or model on update", () => {
    const v1 = create({});
    expect(errorOf(() => update(v1, { name: null })).message).toMatch(/^name: cannot be cleared/);
    expect(errorOf(() => update(v1, { name: "" })).message).toMatch(/^name: cannot be cleared/);
    expect(errorOf(() => update(v1, { model: null })).message).toMatch(/^model: cannot be cleared/);
  });

  it("enforces the metadata limits, with error_code invalid_metadata", () => {
    const many = Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`k${i}`, "v"]));
    const tooMany = errorOf(() => create({ metadata: many }));
    expect(tooMany.message).toMatch(/^metadata: at most 16 keys/);
    expect(tooMany.details?.errorCode).toBe("invalid_metadata");
    expect(errorOf(() => create({ metadata: { ["k".repeat(65)]: "v" } })).details?.errorCode).toBe("invalid_metadata");
    expect(errorOf(() => create({ metadata: { k: "v".repeat(513) } })).message).toMatch(/^metadata\.k: values are at most 512/);
    const full = create({ metadata: Object.fromEntries(Array.from({ length: 16 }, (_, i) => [`k${i}`, "v"])) });
    expect(errorOf(() => update(full, { metadata: { extra: "v" } })).details?.errorCode).toBe("invalid_metadata");
    expect(Object.keys(update(full, { metadata: { k0: null, extra: "v" } }).metadata)).toHaveLength(16);
  });
});
