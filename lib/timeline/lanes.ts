import type { TStopReason } from "@/lib/event-log/events";
import type { TSessionStatus, TSessionUsage } from "@/lib/event-log/fold";
import { listCostUsd } from "@/lib/event-log/usage";
import { PRIMARY_THREAD, type TTimelineItem, type TTimelineState } from "./fold-timeline";

/**
 * A multi-agent session as lanes: the coordinator (the primary thread) and one lane per thread it
 * started, each with its status and cost, all read from the timeline's fold of the threads
 * (`TTimelineState.threads`, the fold the API serves). A view filtered to one lane shows the items
 * its thread's events opened (`laneTimeline`). No Node APIs: it runs in the browser too.
 */
export type TLaneStatus = TSessionStatus | "starting";

export type TLane = {
  /** `PRIMARY_THREAD` for the coordinator, else the thread's id (`sthr_…`). */
  id: string;
  name: string;
  coordinator: boolean;
  /**
   * The thread's status; `starting` for a thread created but not yet run. Decision: a thread's
   * fold starts `idle`, and a lane showing "Idle" and $0.00 between `session.thread_created` and
   * its first `session.thread_status_running` would read as done with nothing spent.
   */
  status: TLaneStatus;
  stopReason: TStopReason | null;
  usage: TSessionUsage;
  /** The list cost of the lane's model requests; null when one had no list price. */
  costUsd: number | null;
};

/** The lanes of the session; none when it has no threads besides the primary one. */
export function lanesOf(timeline: TTimelineState, coordinatorName: string | null): TLane[] {
  if (timeline.threads.size <= 1) return [];
  return [...timeline.threads.values()].map((thread) => {
    const coordinator = thread.id === PRIMARY_THREAD;
    return {
      id: thread.id,
      name: coordinator ? (coordinatorName ?? "Coordinator") : (thread.agent?.name ?? thread.id),
      coordinator,
      status: coordinator || thread.started ? thread.status : "starting",
      stopReason: thread.stopReason,
      usage: thread.usage,
      costUsd: listCostUsd(thread.usage),
    };
  });
}

/** The lane an item belongs to: the child thread its event named, else the coordinator's. */
export function laneOfItem(timeline: TTimelineState, item: TTimelineItem): string {
  return item.thread !== undefined && timeline.threads.has(item.thread) ? item.thread : PRIMARY_THREAD;
}

/**
 * The timeline with only `lane`'s items (null: all of them), its indexes renumbered to match, so
 * a list, its jumps and a player's position work on it as on the whole.
 */
export function laneTimeline(timeline: TTimelineState, lane: string | null): TTimelineState {
  if (lane === null) return timeline;
  const renumbered = new Map<number, number>();
  const items: TTimelineItem[] = [];
  timeline.items.forEach((item, index) => {
    if (laneOfItem(timeline, item) !== lane) return;
    renumbered.set(index, items.length);
    items.push(item);
  });
  const remap = (map: ReadonlyMap<number | string, number>) => {
    const out = new Map<never, number>();
    for (const [key, index] of map) {
      const next = renumbered.get(index);
      if (next !== undefined) out.set(key as never, next);
    }
    return out;
  };
  const sandboxIndex = timeline.sandbox ? renumbered.get(timeline.sandbox.itemIndex) : undefined;
  return {
    ...timeline,
    items,
    itemOfSeq: remap(timeline.itemOfSeq) as ReadonlyMap<number, number>,
    itemOfEventId: remap(timeline.itemOfEventId) as ReadonlyMap<string, number>,
    sandbox: timeline.sandbox && sandboxIndex !== undefined ? { ...timeline.sandbox, itemIndex: sandboxIndex } : timeline.sandbox,
  };
}

/** Who speaks in an item: its thread's agent, or the coordinator (`coordinatorName`) for the primary thread's. */
export function agentNameOfItem(timeline: TTimelineState, item: TTimelineItem, coordinatorName: string | null): string | null {
  const lane = laneOfItem(timeline, item);
  return lane === PRIMARY_THREAD ? coordinatorName : (timeline.threads.get(lane)?.agent?.name ?? coordinatorName);
}
