import type { TSessionRecord } from "@/lib/event-log/session-store";
import type { TThreadState } from "@/lib/event-log/threads";
import { listCostOf } from "@/lib/event-log/usage";

const THREAD_AGENT_FIELDS = ["id", "type", "version", "name", "description", "system", "model", "tools", "mcp_servers", "skills", "execution_identity"] as const;

/**
 * The SessionThread object (reference §2.7, SDK `BetaManagedAgentsSessionThread`) from a thread's
 * folded state. Its `agent` is the session's pinned definition: the session's agent for the primary
 * thread, the roster entry (or predefined agent) for a child, the inline definition for an inline
 * agent's thread (SDK `BetaManagedAgentsInlineAgent`, `type: "inline"`, without id or version). `stats` is null until the thread's first status change and
 * `usage` until its first idle, as the SDK says.
 */
export function threadToWire(session: TSessionRecord, thread: TThreadState) {
  const snapshot = session.agentSnapshot;
  const multiagent = snapshot.multiagent as { agents?: Record<string, unknown>[]; subagents?: { predefined_agents?: Record<string, unknown>[] } } | null;
  const roster = (multiagent?.agents ?? multiagent?.subagents?.predefined_agents ?? []) as Record<string, unknown>[];
  const inline = thread.agent?.inline;
  const source: Record<string, unknown> = thread.agent
    ? (roster.find((a) => a.id === thread.agent!.id && a.version === thread.agent!.version) ?? { id: thread.agent.id, version: thread.agent.version, name: thread.agent.name })
    : snapshot;
  const agent: Record<string, unknown> = inline
    ? { type: "inline", description: null, mcp_servers: [], skills: [], execution_identity: snapshot.execution_identity ?? null, ...inline }
    : { ...Object.fromEntries(THREAD_AGENT_FIELDS.map((field) => [field, source[field] ?? null])), type: "agent" };
  const primary = thread.parentThreadId === null;
  const createdAt = primary ? session.createdAt : (thread.createdAt ?? session.createdAt);
  const usage = thread.usage;
  const ended = thread.archivedAt ?? (thread.status === "terminated" ? thread.updatedAt : null);
  const duration = Math.max(0, ((ended ? Date.parse(ended) : Date.now()) - Date.parse(createdAt)) / 1000);
  return {
    id: thread.id,
    type: "session_thread" as const,
    session_id: session.id,
    parent_thread_id: thread.parentThreadId,
    status: thread.archivedAt || (primary && session.archivedAt) ? ("terminated" as const) : thread.status,
    agent,
    stats: thread.started ? { duration_seconds: duration, startup_seconds: 0 } : null,
    usage: thread.idledOnce
      ? {
          input_tokens: usage.input_tokens,
          output_tokens: usage.output_tokens,
          cache_read_input_tokens: usage.cache_read_input_tokens,
          cache_creation: { ephemeral_5m_input_tokens: usage.cache_creation_input_tokens, ephemeral_1h_input_tokens: 0 },
          list_cost: listCostOf(usage),
        }
      : null,
    workflow_run_id: null,
    created_at: createdAt,
    updated_at: (primary ? session.updatedAt : thread.updatedAt) ?? createdAt,
    archived_at: primary ? session.archivedAt : thread.archivedAt,
  };
}
