import { z } from "zod";
import { ZMetadataPatchSchema, ZMetadataSchema } from "@/lib/resource/metadata";
import { ZToolsParamsSchema } from "./tool-schemas";

/** Request schemas of the agent endpoints (reference §2.1). */
export const EFFORTS = ["low", "medium", "high", "xhigh", "max"] as const;

const notBlank = (s: string) => s.trim().length > 0;
const ZModelId = z.string().max(256).refine(notBlank, "must not be empty");

export const ZModelParamsSchema = z.union(
  [
    ZModelId,
    z.strictObject({
      id: ZModelId,
      effort: z.union([z.enum(EFFORTS), z.strictObject({ type: z.enum(EFFORTS) })]).nullish(),
      inference_geo: z.string().min(1).max(64).nullish(),
      speed: z.enum(["standard", "fast"]).nullish(),
    }),
  ],
  { error: "must be a model id string or an object {id, effort?, speed?, inference_geo?}" },
);

export const ZMcpServerParamsSchema = z.strictObject({
  type: z.literal("url"),
  name: z.string().min(1).max(255),
  url: z.url({ protocol: /^https?$/, error: "must be an http(s) URL" }).max(2048),
});

export const ZSkillParamsSchema = z.strictObject({
  type: z.enum(["anthropic", "custom"]),
  skill_id: z.string().min(1).max(128),
  version: z.string().min(1).max(64).nullish(),
});

export const ZExecutionIdentitySchema = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("service_account") }),
  z.strictObject({ type: z.literal("aws_role"), role_arn: z.string().regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/, "must be an IAM role ARN") }),
]);

export const MAX_ROSTER_AGENTS = 20;
const ZAgentIdRef = z.string().min(1).max(128);

/**
 * One entry of a coordinator's roster (SDK `BetaManagedAgentsMultiagentRosterEntryParams`): an agent id,
 * `{type: "agent", id, version?}`, `{type: "self"}` or `{type: "advisor", model}` (at most one: a
 * model the coordinator consults, as `multiagent_20261001`'s `advisor`).
 */
export const ZRosterEntrySchema = z.union(
  [
    ZAgentIdRef,
    z.strictObject({ type: z.literal("agent"), id: ZAgentIdRef, version: z.number().int().min(1).optional() }),
    z.strictObject({ type: z.literal("self") }),
    z.strictObject({ type: z.literal("advisor"), model: ZModelId }),
  ],
  { error: 'must be an agent id, {type: "agent", id, version?}, {type: "self"} or {type: "advisor", model}' },
);

const ZTypeOnly = <T extends string>(type: T) => z.strictObject({ type: z.literal(type) });
const ZInlineAgentsParams = z.discriminatedUnion("type", [ZTypeOnly("enabled"), ZTypeOnly("disabled")], { error: 'must be {type: "enabled"} or {type: "disabled"}' });
/** A `predefined_agents` entry: an agent id, `{type: "agent", id, version?}` or `{type: "self"}`. */
const ZPredefinedAgentParams = z.union(
  [
    ZAgentIdRef,
    z.strictObject({ type: z.literal("agent"), id: ZAgentIdRef, version: z.number().int().min(1).optional() }),
    z.strictObject({ type: z.literal("self") }),
  ],
  { error: 'must be an agent id, {type: "agent", id, version?} or {type: "self"}' },
);
const ZPredefinedAgents = z.array(ZPredefinedAgentParams).max(MAX_ROSTER_AGENTS, `at most ${MAX_ROSTER_AGENTS} agents`);

/**
 * `multiagent_20261001` (SDK `BetaManagedAgentsMultiagent20261001Params`): `advisor`, `subagents`
 * and `workflows`, each enabled or disabled. A key omitted or null is resolved by
 * `mergeMultiagent20261001` (defaults, and the update merge). Decision: workflow runs are not
 * built yet, so an enabled `workflows` is refused and `workflows` defaults to disabled.
 */
const ZMultiagent20261001Params = z.strictObject({
  type: z.literal("multiagent_20261001"),
  advisor: z
    .discriminatedUnion("type", [z.strictObject({ type: z.literal("enabled"), model: ZModelId }), ZTypeOnly("disabled")], {
      error: 'must be {type: "enabled", model} or {type: "disabled"}',
    })
    .nullish(),
  subagents: z
    .discriminatedUnion(
      "type",
      [
        z.strictObject({ type: z.literal("enabled"), inline_agents: ZInlineAgentsParams.nullish(), predefined_agents: ZPredefinedAgents.nullish() }),
        ZTypeOnly("disabled"),
      ],
      { error: 'must be {type: "enabled", inline_agents?, predefined_agents?} or {type: "disabled"}' },
    )
    .nullish(),
  workflows: z
    .discriminatedUnion("type", [z.looseObject({ type: z.literal("enabled") }), ZTypeOnly("disabled")], { error: 'must be {type: "disabled"}' })
    .refine((w) => w.type !== "enabled", 'workflow runs are not supported by this server yet: send {type: "disabled"}')
    .nullish(),
});
export type TMultiagent20261001Params = z.infer<typeof ZMultiagent20261001Params>;

/**
 * `multiagent` (SDK `BetaManagedAgentsMultiagentParams`): the `coordinator` topology, 1–20 roster
 * entries, or `multiagent_20261001`.
 */
const ZMultiagentSchema = z
  .discriminatedUnion(
    "type",
    [
      z.strictObject({
        type: z.literal("coordinator"),
        agents: z.array(ZRosterEntrySchema).min(1, "at least 1 agent").max(MAX_ROSTER_AGENTS, `at most ${MAX_ROSTER_AGENTS} agents`),
      }),
      ZMultiagent20261001Params,
    ],
    { error: 'must be null, {type: "coordinator", agents} or {type: "multiagent_20261001", advisor?, subagents?, workflows?}' },
  )
  .nullable();
export type TMultiagentParams = z.infer<typeof ZMultiagentSchema>;
export type TRosterEntryParams = z.infer<typeof ZRosterEntrySchema>;

const ZName = z.string().max(256, "at most 256 characters").refine(notBlank, "must not be empty");
export const MAX_SYSTEM_CHARS = 100_000;
const ZSystem = z.string().max(MAX_SYSTEM_CHARS, `at most ${MAX_SYSTEM_CHARS} characters`);
const ZDescription = z.string().max(2048, "at most 2048 characters");
export const MAX_MCP_SERVERS = 20;
const ZMcpServers = z.array(ZMcpServerParamsSchema).max(MAX_MCP_SERVERS, `at most ${MAX_MCP_SERVERS} MCP servers`);
const ZSkills = z.array(ZSkillParamsSchema).max(64, "at most 64 skills");

export const ZAgentCreateSchema = z.strictObject({
  name: ZName,
  model: ZModelParamsSchema,
  description: ZDescription.nullish(),
  system: ZSystem.nullish(),
  tools: ZToolsParamsSchema.optional(),
  mcp_servers: ZMcpServers.optional(),
  skills: ZSkills.optional(),
  metadata: ZMetadataSchema.optional(),
  multiagent: ZMultiagentSchema.optional(),
  execution_identity: ZExecutionIdentitySchema.nullish(),
});

/** Omitted = keep. null/"" clears description and system; name and model cannot be cleared. */
export const ZAgentUpdateSchema = z.strictObject({
  name: z
    .string({ error: "cannot be cleared: send a non-empty name or omit it" })
    .max(256, "at most 256 characters")
    .refine(notBlank, "cannot be cleared: send a non-empty name or omit it")
    .optional(),
  model: z.union([ZModelParamsSchema, z.null()]).refine((m) => m !== null, "cannot be cleared: send a model or omit it").optional(),
  description: ZDescription.nullish(),
  system: ZSystem.nullish(),
  tools: ZToolsParamsSchema.nullish(),
  mcp_servers: ZMcpServers.nullish(),
  skills: ZSkills.nullish(),
  metadata: ZMetadataPatchSchema.nullish(),
  multiagent: ZMultiagentSchema.optional(),
  execution_identity: ZExecutionIdentitySchema.nullish(),
  version: z.number().int().min(1).optional(),
});

export type TAgentCreateInput = z.infer<typeof ZAgentCreateSchema>;
export type TAgentUpdateInput = z.infer<typeof ZAgentUpdateSchema>;
export type TModelParams = z.infer<typeof ZModelParamsSchema>;
