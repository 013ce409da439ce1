import type { TTimelineState, TToolCallItem } from "@/lib/timeline/fold-timeline";

/**
 * What the session waits for from a person: tool calls to approve or deny, and custom tools whose
 * result the client must give. Only what the session's latest `requires_action` lists and is still
 * unanswered in the log: a call answered by anyone watching disappears for everyone.
 */
export type TPendingAction = { kind: "confirm"; call: TToolCallItem } | { kind: "custom_result"; call: TToolCallItem };

export function pendingActions(timeline: TTimelineState): TPendingAction[] {
  const { status, stopReason } = timeline.session;
  if (status !== "idle" || stopReason?.type !== "requires_action") return [];
  const waiting = new Set(stopReason.event_ids);
  const actions: TPendingAction[] = [];
  for (const item of timeline.items) {
    if (item.kind !== "tool_call" || !waiting.has(item.key)) continue;
    if (item.state === "awaiting_confirmation") actions.push({ kind: "confirm", call: item });
    else if (item.state === "awaiting_client") actions.push({ kind: "custom_result", call: item });
  }
  return actions;
}

/** The keys of the calls in `actions`, for quick lookups while rendering the timeline. */
export function pendingKeys(actions: readonly TPendingAction[]): ReadonlyMap<string, TPendingAction["kind"]> {
  return new Map(actions.map((action) => [action.call.key, action.kind]));
}
