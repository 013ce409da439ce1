import type { TTimelineItem } from "./fold-timeline";

/**
 * The event that "Fork from here" on the timeline's item `index` cuts at: the last event the item
 * shows, so the fork keeps all of it — a tool call with its confirmation and result, a model
 * request with its end — and, for the model's words and thoughts, the end of the response they
 * came in (stored with it in one batch), so the fork does not cut a response short. A call still
 * open forks at its latest event; the fork then answers it as not run (lib/sessions/fork-log.ts).
 */
export function forkPointOf(items: readonly TTimelineItem[], index: number): { id: string; seq: number } {
  const item = items[index]!;
  const own = { id: item.key, seq: item.seq };
  switch (item.kind) {
    case "tool_call":
      return [item.confirmation, item.result].reduce<{ id: string; seq: number }>((latest, part) => (part && part.seq > latest.seq ? { id: part.id, seq: part.seq } : latest), own);
    case "model_request":
      return item.end ? { id: item.end.id, seq: item.end.seq } : own;
    case "agent_message":
    case "thinking":
      // the nearest request before it is the one whose response it is, when it ended after it
      for (let i = index - 1; i >= 0; i--) {
        const before = items[i]!;
        if (before.kind !== "model_request") continue;
        return before.end && before.end.seq > item.seq ? { id: before.end.id, seq: before.end.seq } : own;
      }
      return own;
    default:
      return own;
  }
}
