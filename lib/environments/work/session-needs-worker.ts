import type { SessionStore } from "@/lib/event-log/session-store";

/**
 * Whether a session waits for the workers of its self-hosted environment `environmentId`: it is
 * idle with `requires_action` and among the events it waits on is a built-in `agent.tool_use`
 * routed there (its `environment_id`, or none for the primary: only workers answer those). Reads
 * the session's record and those events only, never the whole log.
 */
export async function sessionNeedsWorker(store: SessionStore, sessionId: string, environmentId: string): Promise<boolean> {
  const session = await store.getSession(sessionId);
  if (!session || session.archivedAt || session.state.status !== "idle") return false;
  const reason = session.state.stopReason;
  if (reason?.type !== "requires_action" || reason.event_ids.length === 0) return false;
  const uses = await store.getEvents(sessionId, { types: ["agent.tool_use"], ids: reason.event_ids, limit: reason.event_ids.length });
  return uses.some((use) => ((use.body as { environment_id?: string }).environment_id ?? session.environmentId) === environmentId);
}
