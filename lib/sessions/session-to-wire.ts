import type { TSessionRecord } from "@/lib/event-log/session-store";

/**
 * The Session object of the Managed Agents API (reference §2.4), from the stored record and its
 * folded state. An archived session reads `terminated`.
 */
export function sessionToWire(session: TSessionRecord) {
  const usage = session.state.usage;
  return {
    id: session.id,
    type: "session" as const,
    status: session.archivedAt ? ("terminated" as const) : session.state.status,
    agent: session.agentSnapshot,
    environment_id: session.environmentId,
    title: session.title,
    metadata: session.metadata,
    resources: session.resources,
    vault_ids: session.vaultIds,
    outcome_evaluations: [],
    budget: session.budget,
    stats: {},
    usage: {
      input_tokens: usage.input_tokens,
      output_tokens: usage.output_tokens,
      cache_read_input_tokens: usage.cache_read_input_tokens,
      cache_creation: { ephemeral_5m_input_tokens: usage.cache_creation_input_tokens, ephemeral_1h_input_tokens: 0 },
    },
    created_at: session.createdAt,
    updated_at: session.updatedAt,
    archived_at: session.archivedAt,
    deployment_id: null,
  };
}

export type TWireSession = ReturnType<typeof sessionToWire>;
