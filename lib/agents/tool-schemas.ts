import { z } from "zod";

/**
 * Request schemas of an agent's `tools` entries (reference §2.1): the built-in toolset
 * `agent_toolset_20260401`, an `mcp_toolset` per MCP server and client-run `custom` tools. Closed
 * shapes: an unknown field is a 400 naming it.
 */
export const BUILTIN_TOOL_NAMES = ["bash", "edit", "read", "write", "glob", "grep", "web_fetch", "web_search"] as const;
export type TBuiltinToolName = (typeof BUILTIN_TOOL_NAMES)[number];

export const ZPermissionPolicySchema = z.strictObject({
  type: z.enum(["always_allow", "always_ask", "auto"], { error: "permission_policy.type must be always_allow, always_ask or auto" }),
});

const ZDefaultConfigSchema = z.strictObject({ enabled: z.boolean().nullish(), permission_policy: ZPermissionPolicySchema.nullish() });

/**
 * The platform's extension on the built-in toolset (`default_config` and each of `configs`): which of
 * a session's environments runs the tool, by the name the session gives it in
 * `additional_environments` or by its id (README, "Several hands per session"). Absent or null:
 * the session's primary environment. Checked against the session's environments when a session is
 * created with the agent, not here: an agent does not know its sessions.
 */
export const ZToolEnvironmentSchema = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9_-]+$/, "an environment's name or id: letters, digits, underscores and hyphens");
const ZToolsetDefaultConfigSchema = ZDefaultConfigSchema.extend({ environment: ZToolEnvironmentSchema.nullish() });

const ZDomains = z.array(z.string().min(1).max(253)).max(256);
const ZToolReference = z.strictObject({ type: z.literal("tool_reference"), name: z.string().min(1).max(128) });
const ZAllOrNone = z.union([z.enum(["all", "none"]), z.strictObject({ type: z.enum(["all", "none"]) })]);
const ZToolFilter = z.union([ZAllOrNone, z.strictObject({ type: z.enum(["only", "except"]), tools: z.array(ZToolReference).max(256) })]);

export const ZUrlSourcesSchema = z.strictObject({
  user_input: ZAllOrNone.nullish(),
  client_tool_results: ZToolFilter.nullish(),
  server_tool_results: ZToolFilter.nullish(),
});

function builtinConfig<N extends TBuiltinToolName, E extends z.ZodRawShape>(name: N, extra: E) {
  return z.strictObject({
    name: z.literal(name),
    type: z.literal(name).optional(),
    enabled: z.boolean().nullish(),
    permission_policy: ZPermissionPolicySchema.nullish(),
    environment: ZToolEnvironmentSchema.nullish(),
    ...extra,
  });
}

const ZBuiltinConfigSchema = z.discriminatedUnion(
  "name",
  [
    builtinConfig("bash", {}),
    builtinConfig("edit", {}),
    builtinConfig("read", {}),
    builtinConfig("write", {}),
    builtinConfig("glob", {}),
    builtinConfig("grep", {}),
    builtinConfig("web_fetch", {
      allowed_domains: ZDomains.optional(),
      blocked_domains: ZDomains.optional(),
      max_content_tokens: z.number().int().min(1).nullish(),
      url_sources: ZUrlSourcesSchema.nullish(),
    }),
    builtinConfig("web_search", {
      allowed_domains: ZDomains.optional(),
      blocked_domains: ZDomains.optional(),
      user_location: z
        .strictObject({
          type: z.literal("approximate"),
          city: z.string().max(255).nullish(),
          region: z.string().max(255).nullish(),
          country: z.string().max(255).nullish(),
          timezone: z.string().max(255).nullish(),
        })
        .nullish(),
    }),
  ],
  { error: `name must be one of ${BUILTIN_TOOL_NAMES.join(", ")}` },
);

export const ZAgentToolsetParamsSchema = z.strictObject({
  type: z.literal("agent_toolset_20260401"),
  default_config: ZToolsetDefaultConfigSchema.nullish(),
  configs: z.array(ZBuiltinConfigSchema).max(BUILTIN_TOOL_NAMES.length).optional(),
});

export const ZMcpToolsetParamsSchema = z.strictObject({
  type: z.literal("mcp_toolset"),
  mcp_server_name: z.string().min(1).max(255),
  default_config: ZDefaultConfigSchema.nullish(),
  configs: z
    .array(z.strictObject({ name: z.string().min(1).max(128), enabled: z.boolean().nullish(), permission_policy: ZPermissionPolicySchema.nullish() }))
    .max(256)
    .optional(),
});

export const ZCustomToolParamsSchema = z.strictObject({
  type: z.literal("custom"),
  name: z
    .string()
    .min(1)
    .max(128)
    .regex(/^[A-Za-z0-9_-]+$/, "only letters, digits, underscores and hyphens"),
  description: z.string().max(10_000),
  input_schema: z.looseObject({
    type: z.literal("object", { error: 'must be "object": a custom tool takes a JSON object as input' }),
    properties: z.record(z.string(), z.unknown()).nullish(),
    required: z.array(z.string()).nullish(),
  }),
});

export const ZToolParamsSchema = z.discriminatedUnion("type", [ZAgentToolsetParamsSchema, ZMcpToolsetParamsSchema, ZCustomToolParamsSchema], {
  error: "type must be one of agent_toolset_20260401, mcp_toolset, custom",
});

export const MAX_TOOLS = 256;
export const ZToolsParamsSchema = z.array(ZToolParamsSchema).max(MAX_TOOLS, `at most ${MAX_TOOLS} tools`);

export type TToolParams = z.infer<typeof ZToolParamsSchema>;
export type TPermissionPolicy = z.infer<typeof ZPermissionPolicySchema>;
