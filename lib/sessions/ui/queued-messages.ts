import type { TTimelineState } from "@/lib/timeline/fold-timeline";

/**
 * Messages sent while a turn runs wait in the log until the model's next request in that turn
 * reads them. While the session runs, those are the user messages after the latest model request
 * started; once another request starts (or the turn ends) none are waiting.
 */
export function queuedMessageKeys(timeline: TTimelineState): ReadonlySet<string> {
  if (timeline.session.status !== "running") return new Set();
  const keys = new Set<string>();
  for (let i = timeline.items.length - 1; i >= 0; i--) {
    const item = timeline.items[i]!;
    if (item.kind === "model_request") break;
    if (item.kind === "user_message") keys.add(item.key);
  }
  return keys;
}
