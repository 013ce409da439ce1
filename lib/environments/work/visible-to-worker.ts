import type { TStoredEvent } from "@/lib/event-log/events";

/**
 * What a work item's token reads of its session's log, in a session of several environments
 * (README, "Several hands per session"): everything except the built-in calls routed to another of
 * the session's environments (an `agent.tool_use` whose `environment_id` is not the item's). A
 * worker therefore answers only its own environment's calls (the SDK's worker runs every call it
 * sees waiting), and the server refuses a result for another's anyway (send-worker-results.ts).
 * In a session of one environment no event names one, and the worker reads the whole log.
 */
export function visibleToWorker(environmentId: string): (event: TStoredEvent) => boolean {
  return (event) => {
    if (event.body.type !== "agent.tool_use") return true;
    const routed = event.body.environment_id;
    return routed === undefined || routed === environmentId;
  };
}
