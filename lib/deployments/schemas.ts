import { z } from "zod";
import { ZBudgetSchema } from "@/lib/event-log/usage";
import { ZMetadataPatchSchema, ZMetadataSchema } from "@/lib/resource/metadata";
import { ZAgentRefSchema, ZSessionCreateSchema } from "@/lib/sessions/schemas";
import { cronExpressionProblem, timezoneProblem } from "./cron-schedule";

/**
 * Request schemas of the deployment endpoints (reference §2.12, SDK 1.17 `beta.deployments`).
 * Strict: an unknown field is a 400 naming it. The initial events' own shape is checked by the
 * session vocabulary (create-deployment.ts), as a session's initial events are.
 */
export const DEPLOYMENT_LIMITS = { name: 256, description: 2048, initialEvents: 50 } as const;

/** The event types a deployment may start its sessions with. */
export const DEPLOYMENT_EVENT_TYPES = ["user.message", "user.define_outcome", "system.message"] as const;

export const ZScheduleSchema = z.strictObject({
  type: z.literal("cron"),
  expression: z
    .string()
    .max(256)
    .superRefine((expression, ctx) => {
      const problem = cronExpressionProblem(expression);
      if (problem) ctx.addIssue({ code: "custom", message: problem });
    }),
  timezone: z.string().superRefine((timezone, ctx) => {
    const problem = timezoneProblem(timezone);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  }),
});

const ZName = z
  .string()
  .max(DEPLOYMENT_LIMITS.name, `at most ${DEPLOYMENT_LIMITS.name} characters`)
  .refine((s) => s.trim().length > 0, "must not be empty");
const ZDescription = z.string().max(DEPLOYMENT_LIMITS.description, `at most ${DEPLOYMENT_LIMITS.description} characters`);
const ZInitialEvents = z
  .array(z.looseObject({ type: z.enum(DEPLOYMENT_EVENT_TYPES, { message: `must be one of ${DEPLOYMENT_EVENT_TYPES.join(", ")}` }) }))
  .min(1, "at least 1 event")
  .max(DEPLOYMENT_LIMITS.initialEvents, `at most ${DEPLOYMENT_LIMITS.initialEvents} events`);
const ZResources = ZSessionCreateSchema.shape.resources;
const ZVaultIds = ZSessionCreateSchema.shape.vault_ids;

export const ZDeploymentCreateSchema = z.strictObject({
  agent: ZAgentRefSchema,
  environment_id: ZSessionCreateSchema.shape.environment_id,
  name: ZName,
  initial_events: ZInitialEvents,
  description: ZDescription.nullish(),
  metadata: ZMetadataSchema.optional(),
  resources: ZResources,
  vault_ids: ZVaultIds,
  schedule: ZScheduleSchema.nullish(),
  budget: ZBudgetSchema.nullish(),
});

/** Omitted fields are kept; `null` clears the nullable ones (schedule, description, budget, resources, vault_ids); metadata is a patch. */
export const ZDeploymentUpdateSchema = z.strictObject({
  agent: ZAgentRefSchema.optional(),
  environment_id: ZSessionCreateSchema.shape.environment_id.optional(),
  name: ZName.optional(),
  initial_events: ZInitialEvents.optional(),
  description: ZDescription.nullish(),
  metadata: ZMetadataPatchSchema.nullish(),
  resources: ZResources.unwrap().nullish(),
  vault_ids: ZVaultIds.unwrap().nullish(),
  schedule: ZScheduleSchema.nullish(),
  budget: ZBudgetSchema.nullish(),
});

export type TDeploymentCreate = z.infer<typeof ZDeploymentCreateSchema>;
export type TDeploymentUpdate = z.infer<typeof ZDeploymentUpdateSchema>;
