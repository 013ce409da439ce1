import "server-only";

/**
 * Where a session's built-in tools run, as the harness asks it: in the platform's own sandboxes
 * (the default), or on the workers of a self-hosted environment. For the latter the harness runs no
 * built-in tool: its `agent.tool_use` events stay for the workers, who answer with
 * `user.tool_result`, and the harness asks for a worker (`request`) when such calls wait. The
 * environments' work queue implements it (lib/environments/work/session-hands.ts) and the
 * composition root hands it in: the harness does not import the layer above it.
 */
export type TSessionHands = {
  /** Whether the session's built-in tool calls are answered by its environment's workers. */
  runByWorkers(sessionId: string): Promise<boolean>;
  /** Queues a work item for the session unless it has a live one (idempotent). */
  request(sessionId: string): Promise<void>;
};
