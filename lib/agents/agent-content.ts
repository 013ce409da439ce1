import { Prisma, type AgentVersion } from "@/lib/generated/prisma/client";
import { applyMetadataPatch, metadataFromJson, type TMetadata } from "@/lib/resource/metadata";
import { checkToolsAndServers, normalizeTools, type TTool } from "./normalize-tools";
import type { TAgentCreateInput, TAgentUpdateInput, TModelParams } from "./schemas";

/**
 * What one version of an agent holds, in the wire shape of the Agent object (reference §2.1). A
 * version row stores exactly this; updates compute the next content and compare it with the
 * current one to decide whether a new version is written.
 */
export type TModelConfig = { id: string; effort?: { type: string }; inference_geo?: string; speed?: "standard" | "fast" };
export type TExecutionIdentity = { type: "service_account" } | { type: "aws_role"; role_arn: string };
export type TAgentRef = { type: "agent"; id: string; version: number };
/** A resolved coordinator roster (SDK `BetaManagedAgentsMultiagentCoordinator`), as stored and returned. */
export type TMultiagentCoordinator = { type: "coordinator"; agents: (TAgentRef | TAdvisorEntry)[] };
/** The coordinator roster's advisor (SDK `BetaManagedAgentsAdvisor`): a model it consults, not a thread. */
export type TAdvisorEntry = { type: "advisor"; model: string };
/** A resolved `multiagent_20261001` (SDK `BetaManagedAgentsMultiagent20261001`), as stored and returned. */
export type TMultiagent20261001 = {
  type: "multiagent_20261001";
  advisor: { type: "enabled"; model: string } | { type: "disabled" };
  subagents: { type: "enabled"; inline_agents: { type: "enabled" | "disabled" }; predefined_agents: TAgentRef[] } | { type: "disabled" };
  workflows: { type: "disabled" };
};
export type TMultiagent = TMultiagentCoordinator | TMultiagent20261001;
export type TAgentContent = {
  name: string;
  description: string | null;
  system: string | null;
  model: TModelConfig;
  tools: TTool[];
  mcp_servers: { type: "url"; name: string; url: string }[];
  skills: { type: "anthropic" | "custom"; skill_id: string; version: string }[];
  metadata: TMetadata;
  multiagent: TMultiagent | null;
  execution_identity: TExecutionIdentity;
};

const SERVICE_ACCOUNT: TExecutionIdentity = { type: "service_account" };

export function normalizeModel(model: TModelParams): TModelConfig {
  if (typeof model === "string") return { id: model };
  const out: TModelConfig = { id: model.id };
  if (model.effort != null) out.effort = typeof model.effort === "string" ? { type: model.effort } : { type: model.effort.type };
  if (model.inference_geo != null) out.inference_geo = model.inference_geo;
  if (model.speed != null) out.speed = model.speed;
  return out;
}

const emptyToNull = (value: string | null | undefined) => (value ? value : null);
const skills = (list: NonNullable<TAgentCreateInput["skills"]>) => list.map((s) => ({ type: s.type, skill_id: s.skill_id, version: s.version ?? "latest" }));

/**
 * The content of version 1. Throws a 400 when tools and MCP servers do not fit together.
 * `multiagent`: the roster as `resolveMultiagent` resolved it (it needs the database).
 */
export function contentFromCreate(input: TAgentCreateInput, multiagent: TMultiagent | null = null): TAgentContent {
  const content: TAgentContent = {
    name: input.name,
    description: emptyToNull(input.description),
    system: emptyToNull(input.system),
    model: normalizeModel(input.model),
    tools: normalizeTools(input.tools ?? []),
    mcp_servers: input.mcp_servers ?? [],
    skills: skills(input.skills ?? []),
    metadata: input.metadata ?? {},
    multiagent,
    execution_identity: input.execution_identity ?? SERVICE_ACCOUNT,
  };
  checkToolsAndServers(content.tools, content.mcp_servers);
  return content;
}

/**
 * The content after an update: omitted fields are kept, null/"" clear description and system,
 * lists are replaced whole (null = empty), metadata is patched, model is replaced whole.
 */
export function applyAgentUpdate(current: TAgentContent, input: TAgentUpdateInput, multiagent?: TMultiagent | null): TAgentContent {
  const next: TAgentContent = {
    ...current,
    ...(input.name !== undefined ? { name: input.name } : {}),
    ...(input.model != null ? { model: normalizeModel(input.model) } : {}),
    ...(input.description !== undefined ? { description: emptyToNull(input.description) } : {}),
    ...(input.system !== undefined ? { system: emptyToNull(input.system) } : {}),
    ...(input.tools !== undefined ? { tools: normalizeTools(input.tools ?? []) } : {}),
    ...(input.mcp_servers !== undefined ? { mcp_servers: input.mcp_servers ?? [] } : {}),
    ...(input.skills !== undefined ? { skills: skills(input.skills ?? []) } : {}),
    ...(input.metadata != null ? { metadata: applyMetadataPatch(current.metadata, input.metadata) } : {}),
    ...(input.execution_identity !== undefined ? { execution_identity: input.execution_identity ?? SERVICE_ACCOUNT } : {}),
    ...(multiagent !== undefined ? { multiagent } : {}),
  };
  checkToolsAndServers(next.tools, next.mcp_servers);
  return next;
}

export function contentFromRow(row: AgentVersion): TAgentContent {
  return {
    name: row.name,
    description: row.description,
    system: row.system,
    model: row.model as TModelConfig,
    tools: (row.tools ?? []) as TTool[],
    mcp_servers: (row.mcpServers ?? []) as TAgentContent["mcp_servers"],
    skills: (row.skills ?? []) as TAgentContent["skills"],
    metadata: metadataFromJson(row.metadata),
    multiagent: (row.multiagent as TMultiagent | null) ?? null,
    execution_identity: (row.executionIdentity as TExecutionIdentity | null) ?? SERVICE_ACCOUNT,
  };
}

export function versionRowData(content: TAgentContent) {
  return {
    name: content.name,
    description: content.description,
    system: content.system,
    model: content.model as Prisma.InputJsonObject,
    tools: content.tools as Prisma.InputJsonArray,
    mcpServers: content.mcp_servers as Prisma.InputJsonArray,
    skills: content.skills as Prisma.InputJsonArray,
    metadata: content.metadata,
    multiagent: content.multiagent ? (content.multiagent as Prisma.InputJsonObject) : Prisma.DbNull,
    executionIdentity: content.execution_identity as Prisma.InputJsonObject,
  };
}

/** JSON with object keys sorted: stored JSON (jsonb) does not keep key order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

export function sameContent(a: TAgentContent, b: TAgentContent): boolean {
  return canonical(a) === canonical(b);
}
