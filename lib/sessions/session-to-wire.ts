import type { TSessionRecord } from "@/lib/event-log/session-store";
import { budgetOf, listCostOf } from "@/lib/event-log/usage";
import type { outcomeEvaluationsToWire } from "@/lib/event-log/outcomes";

/**
 * The Session object of the Managed Agents API (reference §2.4), from the stored record and its
 * folded state. An archived session reads `terminated`. `usage.list_cost` is the sum of the list
 * costs its model requests recorded (whole cents, rounded down; null when a model without a list
 * price ran; see lib/event-log/usage.ts). `active_seconds` (time spent running, a fold of the
 * status events: active-time.ts) is there when the caller read it (`GET /v1/sessions/{id}`), and so
 * is `outcome_evaluations` (the fold of its outcome events: lib/event-log/outcomes.ts); without
 * them (lists, updates) it is empty.
 */
export function sessionToWire(
  session: TSessionRecord,
  options: { activeSeconds?: number; now?: number; outcomeEvaluations?: ReturnType<typeof outcomeEvaluationsToWire> } = {},
) {
  const usage = session.state.usage;
  const ended = session.archivedAt ?? (session.state.status === "terminated" ? session.updatedAt : null);
  const durationMs = (ended === null ? (options.now ?? Date.now()) : Date.parse(ended)) - Date.parse(session.createdAt);
  const active = options.activeSeconds === undefined ? {} : { active_seconds: options.activeSeconds };
  return {
    id: session.id,
    type: "session" as const,
    status: session.archivedAt ? ("terminated" as const) : session.state.status,
    agent: session.agentSnapshot,
    environment_id: session.environmentId,
    // the platform's extension, only on a session that has some: the wire of others is unchanged
    ...(session.additionalEnvironments && session.additionalEnvironments.length > 0 ? { additional_environments: session.additionalEnvironments } : {}),
    title: session.title,
    metadata: session.metadata,
    resources: session.resources,
    vault_ids: session.vaultIds,
    outcome_evaluations: options.outcomeEvaluations ?? [],
    budget: budgetOf(session.budget),
    stats: { duration_seconds: Math.max(0, Math.round(durationMs) / 1000), ...active },
    usage: {
      input_tokens: usage.input_tokens,
      output_tokens: usage.output_tokens,
      cache_read_input_tokens: usage.cache_read_input_tokens,
      cache_creation: { ephemeral_5m_input_tokens: usage.cache_creation_input_tokens, ephemeral_1h_input_tokens: 0 },
      list_cost: listCostOf(usage),
      ...active,
    },
    created_at: session.createdAt,
    updated_at: session.updatedAt,
    archived_at: session.archivedAt,
    deployment_id: null,
  };
}

export type TWireSession = ReturnType<typeof sessionToWire>;
