import { ZAdditionalEnvironmentsSchema } from "./additional-environments";
import { z } from "zod";
import { ZSkillParamsSchema } from "@/lib/agents/schemas";
import { ZBudgetSchema } from "@/lib/event-log/usage";
import { checkRepositoryUrl } from "@/lib/sandbox/git/repository-url";

/** Request schemas shared by the session use-cases (reference §2.4). */
export const ZMetadataSchema = z
  .record(z.string().min(1).max(64), z.string().max(512))
  .refine((m) => Object.keys(m).length <= 16, "at most 16 keys");

/** Metadata patch: a string upserts, null deletes, omitted keys are kept. */
export const ZMetadataPatchSchema = z
  .record(z.string().min(1).max(64), z.string().max(512).nullable())
  .refine((m) => Object.keys(m).length <= 16, "at most 16 keys");

const ZId = z.string().min(1).max(128);

export const ZAgentRefSchema = z.union([
  ZId,
  z.strictObject({ type: z.literal("agent"), id: ZId, version: z.number().int().min(1).optional() }),
  z.strictObject({
    type: z.literal("agent_with_overrides"),
    id: ZId,
    version: z.number().int().min(1).optional(),
    model: z.union([z.string().min(1).max(256), z.looseObject({ id: z.string().min(1).max(256) })]).optional(),
    system: z.string().max(100_000).nullable().optional(),
    tools: z.array(z.looseObject({ type: z.string() })).max(256).optional(),
    mcp_servers: z.array(z.looseObject({ name: z.string() })).max(20).optional(),
    skills: z.array(ZSkillParamsSchema).max(64, "at most 64 skills").optional(),
  }),
]);

const ZAuthorizationToken = z.string().min(1).max(4096).regex(/^[\x21-\x7e]+$/, "must be printable ASCII without spaces");

const ZRepositoryResourceSchema = z.strictObject({
  type: z.literal("github_repository"),
  // checked without echoing the URL: a URL with credentials in it must not come back in an error
  url: z
    .string()
    .max(2048)
    .superRefine((url, ctx) => {
      const problem = checkRepositoryUrl(url);
      if (problem) ctx.addIssue({ code: "custom", message: problem });
    }),
  authorization_token: ZAuthorizationToken.optional(),
  checkout: z
    .union([
      z.strictObject({ type: z.literal("branch"), name: z.string().min(1).max(255).regex(/^[^\s\x00-\x1f\x7f~^:?*[\\]+$/, "must be a valid git branch name") }),
      z.strictObject({ type: z.literal("commit"), sha: z.string().regex(/^[0-9a-f]{7,64}$/) }),
    ])
    .optional(),
  mount_path: z.string().max(1024).optional(),
});
const ZFileResourceSchema = z.strictObject({ type: z.literal("file"), file_id: ZId, mount_path: z.string().max(1024).nullable().optional() });
const ZMemoryStoreResourceSchema = z.strictObject({
  type: z.literal("memory_store"),
  memory_store_id: ZId,
  access: z.enum(["read_write", "read_only"]).optional(),
  instructions: z.string().max(4096).optional(),
});

const ZResourceSchema = z.discriminatedUnion("type", [ZRepositoryResourceSchema, ZFileResourceSchema, ZMemoryStoreResourceSchema]);

export const ZSessionCreateSchema = z.strictObject({
  agent: ZAgentRefSchema,
  environment_id: ZId,
  title: z.string().max(1000).nullable().optional(),
  metadata: ZMetadataSchema.optional(),
  vault_ids: z.array(ZId).max(50).optional(),
  resources: z.array(ZResourceSchema).max(100).optional(),
  initial_events: z.array(z.unknown()).max(50).optional(),
  budget: ZBudgetSchema.nullable().optional(),
  /** The platform's extension: environments beside the primary (additional-environments.ts). */
  additional_environments: ZAdditionalEnvironmentsSchema.optional(),
});

export const ZSessionUpdateSchema = z.strictObject({
  title: z.string().max(1000).nullable().optional(),
  metadata: ZMetadataPatchSchema.optional(),
  /** Replaces the budget (a session created with one), or null removes it; see update-session.ts. */
  budget: ZBudgetSchema.nullable().optional(),
});

/** `POST /v1/sessions/{id}/fork` (our extension): the event of the session to fork from, included. */
export const ZSessionForkSchema = z.strictObject({
  event_id: ZId,
});

/**
 * `POST /v1/sessions/{id}/resources`: a resource added to an existing session, of the same shapes
 * as at creation. SDK 1.17's `ResourceAddParams` types only a file; adding a memory_store or a
 * github_repository to a running session is the platform's own extension (the issue's
 * `GET/POST/DELETE /v1/sessions/{id}/resources`), checked exactly as at creation.
 */
export const ZResourceAddSchema = ZResourceSchema;

/** `POST /v1/sessions/{id}/resources/{resource_id}`: a github_repository's new token (SDK 1.17 `ResourceUpdateParams`). */
export const ZResourceUpdateSchema = z.strictObject({ authorization_token: ZAuthorizationToken });
