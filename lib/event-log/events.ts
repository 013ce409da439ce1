import { z } from "zod";
import { AppError, formatIssuePath } from "@/lib/errors";
import { ZAgentContentSchema, ZTextBlockSchema, ZToolResultContentSchema, ZUserContentSchema } from "./content";

/**
 * The session log's event vocabulary, in the wire names of the Managed Agents API (reference §3).
 * An event *body* is what gets appended: its type and fields. The store adds `id`, `seq` and
 * `processed_at`. Only the types this platform reads or writes are listed; clients are told to
 * tolerate unknown types, so the ones we never produce (workflows) are left out.
 */

const ZId = z.string().min(1).max(128);
const ZToolInput = z.record(z.string(), z.unknown());
const ZThreadId = z.string().min(1).max(128).optional();

export const ZStopReasonSchema = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("end_turn") }),
  z.strictObject({ type: z.literal("requires_action"), event_ids: z.array(ZId).max(1000) }),
  z.strictObject({ type: z.literal("retries_exhausted") }),
  z.strictObject({ type: z.literal("budget_reached") }),
  z.strictObject({ type: z.literal("refusal") }),
]);
export type TStopReason = z.infer<typeof ZStopReasonSchema>;

export const ZModelUsageSchema = z.strictObject({
  input_tokens: z.number().int().nonnegative(),
  output_tokens: z.number().int().nonnegative(),
  cache_read_input_tokens: z.number().int().nonnegative(),
  cache_creation_input_tokens: z.number().int().nonnegative(),
  speed: z.enum(["standard", "fast"]).optional(),
});
export type TModelUsage = z.infer<typeof ZModelUsageSchema>;

const ZPermission = z.enum(["allow", "ask", "deny"]);
const ZEvaluation = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("always_allow") }),
  z.strictObject({ type: z.literal("always_ask") }),
  z.strictObject({
    type: z.literal("auto"),
    evaluated_permission: z.discriminatedUnion("type", [
      z.strictObject({ type: z.literal("allow") }),
      z.strictObject({ type: z.literal("ask"), reason_code: z.string().max(255) }),
      z.strictObject({ type: z.literal("deny"), reason_code: z.string().max(255) }),
    ]),
  }),
]);

export const ZSessionErrorSchema = z.looseObject({
  type: z.string().min(1).max(128),
  message: z.string().max(100_000),
  retry_status: z.strictObject({ type: z.enum(["retrying", "exhausted", "terminal"]) }),
});

// ── user side (what clients may send) ──────────────────────────────────────────────────────────
export const ZUserMessageSchema = z.strictObject({ type: z.literal("user.message"), content: ZUserContentSchema });
export const ZUserInterruptSchema = z.strictObject({ type: z.literal("user.interrupt"), session_thread_id: ZThreadId });
export const ZUserToolConfirmationSchema = z.strictObject({
  type: z.literal("user.tool_confirmation"),
  tool_use_id: ZId,
  result: z.enum(["allow", "deny"]),
  deny_message: z.string().max(10_000).optional(),
  session_thread_id: ZThreadId,
});
export const ZUserCustomToolResultSchema = z.strictObject({
  type: z.literal("user.custom_tool_result"),
  custom_tool_use_id: ZId,
  content: ZToolResultContentSchema.optional(),
  is_error: z.boolean().optional(),
  session_thread_id: ZThreadId,
});
/**
 * The platform's extension on the events of a built-in call in a session of several environments
 * (README, "Several hands per session"): `agent.tool_use` names the environment the call is routed
 * to, its `agent.tool_result` or the worker's `user.tool_result` the one that ran it (the server
 * stamps it from the worker's token). Absent in a session of one environment.
 */
const ZEnvironmentId = z.string().min(1).max(128).optional();
export const ZUserToolResultSchema = z.strictObject({
  type: z.literal("user.tool_result"),
  tool_use_id: ZId,
  content: ZToolResultContentSchema.optional(),
  is_error: z.boolean().optional(),
  session_thread_id: ZThreadId,
  environment_id: ZEnvironmentId,
});
export const ZSystemMessageSchema = z.strictObject({
  type: z.literal("system.message"),
  content: z.array(ZTextBlockSchema).min(1).max(100),
});

// ── outcomes (reference §3: a goal graded by a separate model call) ─────────────────────────────
export const OUTCOME_RESULTS = ["satisfied", "needs_revision", "max_iterations_reached", "failed", "interrupted"] as const;
export type TOutcomeResult = (typeof OUTCOME_RESULTS)[number];
export const DEFAULT_OUTCOME_ITERATIONS = 3;
export const MAX_OUTCOME_ITERATIONS = 20;
export const MAX_RUBRIC_CHARS = 262_144;
const ZOutcomeDescription = z.string().trim().min(1, "must not be empty").max(100_000);
const ZTextRubric = z.strictObject({ type: z.literal("text"), content: z.string().trim().min(1, "must not be empty").max(MAX_RUBRIC_CHARS) });
const ZOutcomeIterations = z.number().int().min(1).max(MAX_OUTCOME_ITERATIONS);
/**
 * What a client sends. Decision: only text rubrics; a file rubric (`{type:"file", file_id}`) names a
 * file of the Files API, which this server does not offer, so it is refused with a 400 that says so
 * (validate-client-events.ts) rather than accepted and never readable.
 */
export const ZDefineOutcomeParamsSchema = z.strictObject({
  type: z.literal("user.define_outcome"),
  description: ZOutcomeDescription,
  rubric: ZTextRubric,
  max_iterations: ZOutcomeIterations.nullish(),
});
/** As stored: with the server's `outcome_id` and the iterations in force (the default when unsaid). */
export const ZUserDefineOutcomeSchema = z.strictObject({
  type: z.literal("user.define_outcome"),
  description: ZOutcomeDescription,
  rubric: ZTextRubric,
  max_iterations: ZOutcomeIterations,
  outcome_id: ZId,
});
export const ZOutcomeEvaluationStartSchema = z.strictObject({
  type: z.literal("span.outcome_evaluation_start"),
  outcome_id: ZId,
  iteration: z.number().int().nonnegative(),
});
export const ZOutcomeEvaluationOngoingSchema = z.strictObject({
  type: z.literal("span.outcome_evaluation_ongoing"),
  outcome_id: ZId,
  iteration: z.number().int().nonnegative(),
});
export const ZOutcomeEvaluationEndSchema = z.strictObject({
  type: z.literal("span.outcome_evaluation_end"),
  outcome_evaluation_start_id: ZId,
  outcome_id: ZId,
  iteration: z.number().int().nonnegative(),
  result: z.enum(OUTCOME_RESULTS),
  explanation: z.string().max(100_000),
  usage: ZModelUsageSchema,
  /** Extensions, as on `span.model_request_end`: the grader's model and the list cost of `usage` (nano-dollars). */
  model: z.string().min(1).max(256).optional(),
  list_cost_nano_usd: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER).nullable().optional(),
});

// ── agent side ──────────────────────────────────────────────────────────────────────────────────
export const ZAgentMessageSchema = z.strictObject({ type: z.literal("agent.message"), content: ZAgentContentSchema, session_thread_id: ZThreadId });
export const ZAgentThinkingSchema = z.strictObject({ type: z.literal("agent.thinking"), session_thread_id: ZThreadId });
export const ZAgentToolUseSchema = z.strictObject({
  type: z.literal("agent.tool_use"),
  name: z.string().min(1).max(128),
  input: ZToolInput,
  evaluated_permission: ZPermission.optional(),
  evaluation: ZEvaluation.optional(),
  session_thread_id: ZThreadId,
  environment_id: ZEnvironmentId,
});
export const ZAgentToolResultSchema = z.strictObject({
  type: z.literal("agent.tool_result"),
  tool_use_id: ZId,
  content: ZToolResultContentSchema.optional(),
  is_error: z.boolean().optional(),
  session_thread_id: ZThreadId,
  environment_id: ZEnvironmentId,
  /**
   * Extensions, as on `agent.thread_context_compacted`: the model request a tool made (the advisor's,
   * `consult_advisor`), its model and list cost; it counts in the session's and thread's usage.
   */
  model_usage: ZModelUsageSchema.optional(),
  model: z.string().max(256).optional(),
  list_cost_nano_usd: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER).nullable().optional(),
});
export const ZAgentMcpToolUseSchema = z.strictObject({
  type: z.literal("agent.mcp_tool_use"),
  mcp_server_name: z.string().min(1).max(128),
  name: z.string().min(1).max(128),
  input: ZToolInput,
  evaluated_permission: ZPermission.optional(),
  evaluation: ZEvaluation.optional(),
  session_thread_id: ZThreadId,
});
export const ZAgentMcpToolResultSchema = z.strictObject({
  type: z.literal("agent.mcp_tool_result"),
  mcp_tool_use_id: ZId,
  content: ZToolResultContentSchema.optional(),
  is_error: z.boolean().optional(),
  session_thread_id: ZThreadId,
});
export const ZAgentCustomToolUseSchema = z.strictObject({
  type: z.literal("agent.custom_tool_use"),
  name: z.string().min(1).max(128),
  input: ZToolInput,
  session_thread_id: ZThreadId,
});
/**
 * A thread's context was compacted (reference §3). Extensions, ours: `summary` (what the model is
 * given instead of everything before this event: the log keeps all of it), the summary request's
 * `model_usage`, `model` and `list_cost_nano_usd` (it costs like any request). On the primary
 * thread `session_thread_id` is absent, as on its other events.
 */
export const ZAgentContextCompactedSchema = z.strictObject({
  type: z.literal("agent.thread_context_compacted"),
  session_thread_id: ZThreadId.optional(),
  summary: z.string().max(200_000).optional(),
  model_usage: ZModelUsageSchema.optional(),
  model: z.string().max(256).optional(),
  list_cost_nano_usd: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER).nullable().optional(),
});

// ── threads (reference §3: multi-agent sessions) ────────────────────────────────────────────────
/*
 * Decision: every event a child thread's loop appends carries its `session_thread_id`, also on types
 * whose SDK shape has no such field (clients ignore fields they do not know): that is how the one
 * log tells threads apart. Events without one belong to the session's primary thread, whose id is
 * derived from the session's (`primaryThreadId`, lib/event-log/threads.ts).
 */
const ZThreadMessageContent = ZUserContentSchema;
export const ZThreadMessageSentSchema = z.strictObject({
  type: z.literal("agent.thread_message_sent"),
  to_session_thread_id: ZId,
  to_agent_name: z.string().max(256).nullish(),
  content: ZThreadMessageContent,
  session_thread_id: ZThreadId,
});
export const ZThreadMessageReceivedSchema = z.strictObject({
  type: z.literal("agent.thread_message_received"),
  from_session_thread_id: ZId,
  from_agent_name: z.string().max(256).nullish(),
  content: ZThreadMessageContent,
  session_thread_id: ZThreadId,
});
export const ZThreadCreatedSchema = z.strictObject({
  type: z.literal("session.thread_created"),
  session_thread_id: ZId,
  agent_name: z.string().max(256),
  workflow_run_id: z.null(),
  /** Extensions: the roster agent (id and version) the thread runs, and the thread that started it. */
  agent_id: ZId,
  agent_version: z.number().int().positive(),
  parent_thread_id: ZId,
  /**
   * Extension: an inline agent's definition (`multiagent_20261001`), which is not saved: the thread
   * runs it, and `agent_id`/`agent_version` name the agent that defined it.
   */
  inline_agent: z
    .strictObject({
      name: z.string().max(256),
      system: z.string().nullable(),
      model: z.looseObject({ id: z.string() }),
      tools: z.array(z.looseObject({ type: z.string() })),
    })
    .optional(),
});
const threadStatus = <T extends string>(type: T) => z.strictObject({ type: z.literal(type), session_thread_id: ZId, agent_name: z.string().max(256) });
export const ZThreadStatusRunningSchema = threadStatus("session.thread_status_running");
export const ZThreadStatusRescheduledSchema = threadStatus("session.thread_status_rescheduled");
export const ZThreadStatusTerminatedSchema = threadStatus("session.thread_status_terminated");
export const ZThreadStatusIdleSchema = z.strictObject({
  type: z.literal("session.thread_status_idle"),
  session_thread_id: ZId,
  agent_name: z.string().max(256),
  stop_reason: ZStopReasonSchema,
  stop_details: z
    .strictObject({ type: z.literal("refusal"), category: z.string().max(64).nullable(), explanation: z.string().max(10_000).nullable() })
    .nullable()
    .optional(),
});
/** Not in the Managed Agents vocabulary: a child thread archived (`POST …/threads/{id}/archive`). Kept out of the API. */
export const ZThreadArchivedSchema = z.strictObject({ type: z.literal("span.thread_archived"), session_thread_id: ZId });

// ── session lifecycle ───────────────────────────────────────────────────────────────────────────
export const ZStatusRunningSchema = z.strictObject({ type: z.literal("session.status_running") });
export const ZStatusIdleSchema = z.strictObject({
  type: z.literal("session.status_idle"),
  stop_reason: ZStopReasonSchema,
  stop_details: z
    .strictObject({ type: z.literal("refusal"), category: z.string().max(64).nullable(), explanation: z.string().max(10_000).nullable() })
    .nullable()
    .optional(),
});
export const ZStatusRescheduledSchema = z.strictObject({ type: z.literal("session.status_rescheduled") });
export const ZStatusTerminatedSchema = z.strictObject({ type: z.literal("session.status_terminated") });
export const ZSessionErrorEventSchema = z.strictObject({ type: z.literal("session.error"), error: ZSessionErrorSchema, session_thread_id: ZThreadId });
export const ZSessionUpdatedSchema = z.strictObject({
  type: z.literal("session.updated"),
  agent: z.record(z.string(), z.unknown()).optional(),
  budget: z.unknown().optional(),
  metadata: z.record(z.string(), z.string()).optional(),
  title: z.string().max(1000).nullable().optional(),
});
export const ZSessionDeletedSchema = z.strictObject({ type: z.literal("session.deleted") });

// ── spans ───────────────────────────────────────────────────────────────────────────────────────
export const ZModelRequestStartSchema = z.strictObject({ type: z.literal("span.model_request_start"), session_thread_id: ZThreadId });
export const ZModelRequestEndSchema = z.strictObject({
  type: z.literal("span.model_request_end"),
  model_request_start_id: ZId,
  is_error: z.boolean().nullable(),
  model_usage: ZModelUsageSchema,
  /**
   * Extensions (clients ignore fields they do not know): the model that answered, and the list
   * cost of `model_usage` at its list price when the request ended, in nano-dollars (10⁻⁹ USD);
   * null when the model has no list price. Summed into the session's `usage.list_cost` (usage.ts).
   */
  model: z.string().min(1).max(256).optional(),
  list_cost_nano_usd: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER).nullable().optional(),
  session_thread_id: ZThreadId,
});

/**
 * Not in the Managed Agents vocabulary (clients tolerate unknown types): recorded just before a
 * built-in tool starts running, so that a harness taking over after a crash can tell a tool call
 * that never started (run it) from one that may have run (re-run only when idempotent).
 */
export const ZToolExecutionStartSchema = z.strictObject({ type: z.literal("span.tool_execution_start"), tool_use_id: ZId, session_thread_id: ZThreadId });

/**
 * Not in the Managed Agents vocabulary: the session's sandbox as the harness saw it, so the web
 * app's session view can show it (provisioning, ready, failed, replaced). Kept out of the API.
 */
export const ZSandboxStatusSchema = z.strictObject({
  type: z.literal("span.sandbox_status"),
  status: z.enum(["provisioning", "ready", "failed", "replaced"]),
  /** the provider's name: "local", "vercel", … */
  provider: z.string().min(1).max(64),
  sandbox_id: z.string().max(256).nullable(),
  /** why it failed or was replaced; null otherwise */
  reason: z.string().max(2000).nullable(),
  /** how long provisioning took, on `ready`; null otherwise */
  duration_ms: z.number().int().nonnegative().nullable(),
  /** which of the session's environments the sandbox is of; absent for the primary's */
  environment_id: z.string().min(1).max(128).optional(),
});

/**
 * Not in the Managed Agents vocabulary: in a session forked from another one
 * (lib/sessions/fork-session.ts), the event after the copies: the `copied_events` events before it
 * are copies of the original's log up to and including `event_id` (its seq `event_seq`), with new
 * ids and their references rewritten to the copies. Kept out of the API and the views; the session
 * page reads it.
 */
export const ZForkOriginSchema = z.strictObject({
  type: z.literal("span.fork_origin"),
  session_id: ZId,
  event_id: ZId,
  event_seq: z.number().int().positive(),
  copied_events: z.number().int().nonnegative(),
});

export const ZEventBodySchema = z.discriminatedUnion("type", [
  ZUserMessageSchema,
  ZUserInterruptSchema,
  ZUserToolConfirmationSchema,
  ZUserCustomToolResultSchema,
  ZUserToolResultSchema,
  ZSystemMessageSchema,
  ZUserDefineOutcomeSchema,
  ZOutcomeEvaluationStartSchema,
  ZOutcomeEvaluationOngoingSchema,
  ZOutcomeEvaluationEndSchema,
  ZAgentMessageSchema,
  ZAgentThinkingSchema,
  ZAgentToolUseSchema,
  ZAgentToolResultSchema,
  ZAgentMcpToolUseSchema,
  ZAgentMcpToolResultSchema,
  ZAgentCustomToolUseSchema,
  ZAgentContextCompactedSchema,
  ZStatusRunningSchema,
  ZStatusIdleSchema,
  ZStatusRescheduledSchema,
  ZStatusTerminatedSchema,
  ZSessionErrorEventSchema,
  ZSessionUpdatedSchema,
  ZSessionDeletedSchema,
  ZModelRequestStartSchema,
  ZModelRequestEndSchema,
  ZToolExecutionStartSchema,
  ZSandboxStatusSchema,
  ZForkOriginSchema,
  ZThreadMessageSentSchema,
  ZThreadMessageReceivedSchema,
  ZThreadCreatedSchema,
  ZThreadStatusRunningSchema,
  ZThreadStatusIdleSchema,
  ZThreadStatusRescheduledSchema,
  ZThreadStatusTerminatedSchema,
  ZThreadArchivedSchema,
]);

export type TEventBody = z.infer<typeof ZEventBodySchema>;
export type TEventType = TEventBody["type"];
export type TEventOf<T extends TEventType> = Extract<TEventBody, { type: T }>;

export const EVENT_TYPES: readonly TEventType[] = ZEventBodySchema.options.map((o) => o.shape.type.value);

/** Types that belong to this platform, not the Managed Agents vocabulary: kept out of the API. */
export const INTERNAL_EVENT_TYPES: readonly TEventType[] = ["span.tool_execution_start", "span.sandbox_status", "span.fork_origin", "span.thread_archived"];

/** The stored types the API lists and streams. */
export const WIRE_EVENT_TYPES: readonly TEventType[] = EVENT_TYPES.filter((t) => !INTERNAL_EVENT_TYPES.includes(t));

/** The user-side types a client may send (reference §2.5). */
export const CLIENT_EVENT_TYPES = [
  "user.message",
  "user.interrupt",
  "user.tool_confirmation",
  "user.custom_tool_result",
  "user.tool_result",
  "user.define_outcome",
  "system.message",
] as const satisfies readonly TEventType[];

/** An event as stored in a session's log. */
export type TStoredEvent = {
  id: string;
  sessionId: string;
  seq: number;
  /** RFC 3339; null while a client event waits behind earlier work. */
  processedAt: string | null;
  createdAt: string;
  body: TEventBody;
  /** Who sent it (a client event appended with `TAppendOptions.actor`); absent for the platform's own. */
  actor?: TEventActor;
};

/**
 * Who sent a client event, as the log records it beside the event (not in its body, so the wire
 * form the SDK reads is unchanged): a member of the team through the web app, or a team API key
 * through the HTTP API. Ids only; the names are looked up when the log is shown.
 */
export const ZEventActorSchema = z.discriminatedUnion("kind", [
  z.strictObject({ kind: z.literal("member"), userId: z.string().min(1).max(128) }),
  z.strictObject({ kind: z.literal("api_key"), keyId: z.string().min(1).max(128) }),
]);
export type TEventActor = z.infer<typeof ZEventActorSchema>;

/**
 * Validates a list of event bodies. Throws an `invalid_request` AppError naming the first bad field
 * (e.g. `events[1].content[0].text: Invalid input: expected string, received number`).
 */
export function parseEventBodies(input: readonly unknown[], root = "events"): TEventBody[] {
  return input.map((raw, index) => {
    const parsed = ZEventBodySchema.safeParse(raw);
    if (parsed.success) return parsed.data;
    const issue = parsed.error.issues[0]!;
    const where = formatIssuePath([index, ...issue.path], root);
    throw new AppError("invalid_request", `${where}: ${issue.message}`, { path: where });
  });
}

/** The wire form of a stored event: its body plus `id` and `processed_at`. */
export function toWireEvent(event: TStoredEvent): TEventBody & { id: string; processed_at: string | null } {
  return { ...event.body, id: event.id, processed_at: event.processedAt };
}
