import "server-only";
import type { TSessionEnvironmentRef } from "@/lib/event-log/session-environments";

/**
 * One of a session's environments as the harness routes to it: its primary or one of its
 * `additional_environments` (lib/event-log/session-environments.ts), and whether its tools are
 * answered by a self-hosted environment's workers (`byWorkers`) or run in the platform's sandboxes.
 */
export type TSessionHand = TSessionEnvironmentRef & { byWorkers: boolean };

/**
 * Where a session's built-in tools run, as the harness asks it: in the platform's own sandboxes
 * (a cloud environment), or on the workers of a self-hosted environment. A session may have
 * several environments; each built-in call goes to the one its tool names (agent-config.ts), the
 * primary by default. For a self-hosted one the harness runs no built-in tool: its `agent.tool_use`
 * events stay for the workers, who answer with `user.tool_result`, and the harness asks for a
 * worker of that environment (`request`) when such calls wait. The environments' work queue
 * implements it (lib/environments/work/session-hands.ts) and the composition root hands it in:
 * the harness does not import the layer above it.
 */
export type TSessionHands = {
  /** The session's environments, the primary first (an environment's type never changes, so callers may keep the answer). */
  environments(sessionId: string): Promise<TSessionHand[]>;
  /** Queues a work item for the session in one of its self-hosted environments unless it has a live one there (idempotent). */
  request(sessionId: string, environmentId: string): Promise<void>;
};

/** The hand a built-in call goes to: the environment its `agent.tool_use` names, else the primary. */
export function handOf(hands: readonly TSessionHand[], use: { event: { body: { type: string } } }): TSessionHand | undefined {
  const body = use.event.body as { type: string; environment_id?: string };
  const id = body.type === "agent.tool_use" ? body.environment_id : undefined;
  return id ? hands.find((h) => h.id === id) : hands.find((h) => h.primary);
}
