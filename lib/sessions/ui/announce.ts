import type { TTimelineItem, TTimelineState } from "@/lib/timeline/fold-timeline";
import { describeSandbox } from "@/lib/timeline/describe-sandbox";
import { blocksText } from "@/lib/timeline/timeline-blocks";

/**
 * What a screen reader hears when events arrive live: one short sentence per new item worth
 * hearing (messages, calls that need someone, errors, the turn starting and ending). Spans and
 * thinking are left out: they would drown the rest.
 */
const MAX_CHARS = 160;

function clip(text: string): string {
  const oneLine = text.replace(/\s+/g, " ").trim();
  return oneLine.length > MAX_CHARS ? `${oneLine.slice(0, MAX_CHARS)}…` : oneLine;
}

export function announcementOf(item: TTimelineItem, agentName: string | null): string | null {
  switch (item.kind) {
    case "agent_message":
      return `${agentName ?? "Agent"}: ${clip(blocksText(item.blocks))}`;
    case "user_message":
      return `User: ${clip(blocksText(item.blocks))}`;
    case "tool_call":
      if (item.state === "awaiting_confirmation") return `Tool ${item.name} is waiting for approval.`;
      if (item.state === "awaiting_client") return `Custom tool ${item.name} is waiting for a result.`;
      return `Tool ${item.name} called.`;
    case "error":
      return `Error: ${clip(item.message)}`;
    case "interrupt":
      return "Interrupted.";
    case "outcome":
      return `Outcome defined: ${clip(item.outcome.description)}`;
    case "sandbox":
      // provisioning and ready are routine; a failure or a replacement is worth hearing
      return item.status === "failed" || item.status === "replaced" ? `${describeSandbox(item)}.` : null;
    case "status":
      if (item.status === "running") return "The agent is working.";
      if (item.status === "idle") return item.stopReason?.type === "requires_action" ? "The agent is waiting for input." : "The agent stopped.";
      return null;
    default:
      return null;
  }
}

/** The sentences for the items `next` has beyond `previous` (the timeline only grows at its end). */
export function announcementsBetween(previous: TTimelineState, next: TTimelineState, agentName: string | null): string[] {
  if (next.items.length <= previous.items.length) return [];
  return next.items
    .slice(previous.items.length)
    .map((item) => announcementOf(item, agentName))
    .filter((text): text is string => text !== null);
}
