import "server-only";

/** The coordinator tools' names (coordinator-tools.ts), apart so that the log reader can tell their calls. */
export const COORDINATOR_TOOL_NAMES = ["start_thread", "send_to_thread", "wait_for_threads"] as const;
export type TCoordinatorToolName = (typeof COORDINATOR_TOOL_NAMES)[number];

export function isCoordinatorTool(name: string): name is TCoordinatorToolName {
  return (COORDINATOR_TOOL_NAMES as readonly string[]).includes(name);
}

/** The advisor's tool (consult-advisor.ts), given to a primary thread whose agent has an advisor enabled. */
export const ADVISOR_TOOL_NAME = "consult_advisor";

/** A roster agent as the session pinned it: its full definition (`snapshot`) with its id, version and name. */
export type TRosterAgent = { id: string; version: number; name: string; snapshot: Record<string, unknown> };
