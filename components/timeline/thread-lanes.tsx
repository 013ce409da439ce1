"use client";

import { useMemo } from "react";
import { formatUsd } from "@/lib/timeline/estimate-cost";
import type { TTimelineState } from "@/lib/timeline/fold-timeline";
import { lanesOf, type TLane } from "@/lib/timeline/lanes";
import { SessionStatusBadge } from "@/components/sessions/status-badge";
import { describeStatus } from "./format";

/**
 * A multi-agent session's coordinator and its threads, one lane each with its status and cost, as
 * of `timeline` (live, or a player's position). Choosing a lane shows only its thread; choosing it
 * again, or "All", shows everyone. Nothing for a session of one agent.
 */
export function ThreadLanes({ timeline, coordinatorName, lane, onLane }: { timeline: TTimelineState; coordinatorName: string | null; lane: string | null; onLane(lane: string | null): void }) {
  const lanes = useMemo(() => lanesOf(timeline, coordinatorName), [timeline, coordinatorName]);
  // a player moved back to before the threads began keeps "All" in reach while filtered
  if (lanes.length === 0 && lane === null) return null;
  return (
    <nav aria-label="Threads" className="shrink-0" data-testid="thread-lanes">
      <ul className="flex gap-2 overflow-x-auto pb-1">
        <li>
          <button
            type="button"
            aria-pressed={lane === null}
            onClick={() => onLane(null)}
            className="h-full rounded-lg border border-zinc-200 bg-white px-3 py-1.5 text-sm font-medium text-zinc-700 hover:bg-zinc-50 aria-pressed:border-brand-500 aria-pressed:ring-1 aria-pressed:ring-brand-500 dark:border-zinc-800 dark:bg-zinc-900 dark:text-zinc-300 dark:hover:bg-zinc-800"
          >
            All
          </button>
        </li>
        {lanes.map((item) => (
          <li key={item.id}>
            <LaneButton lane={item} chosen={lane === item.id} onClick={() => onLane(lane === item.id ? null : item.id)} />
          </li>
        ))}
      </ul>
    </nav>
  );
}

function LaneButton({ lane, chosen, onClick }: { lane: TLane; chosen: boolean; onClick(): void }) {
  return (
    <button
      type="button"
      aria-pressed={chosen}
      onClick={onClick}
      data-testid="thread-lane"
      data-thread={lane.id}
      data-status={lane.status}
      className="flex min-w-36 flex-col items-start gap-1 rounded-lg border border-zinc-200 bg-white px-3 py-1.5 text-left hover:bg-zinc-50 aria-pressed:border-brand-500 aria-pressed:ring-1 aria-pressed:ring-brand-500 dark:border-zinc-800 dark:bg-zinc-900 dark:hover:bg-zinc-800"
    >
      <span className="flex w-full items-baseline justify-between gap-2">
        <span className="truncate text-sm font-medium" data-testid="lane-name">
          {lane.name}
        </span>
        <span className="text-xs text-zinc-500 dark:text-zinc-400">{lane.coordinator ? "coordinator" : "thread"}</span>
      </span>
      <span className="flex w-full items-center justify-between gap-2">
        <LaneStatus lane={lane} />
        <span className="text-xs font-medium text-zinc-900 tabular-nums dark:text-zinc-100" data-testid="lane-cost" title="List cost of this thread's model requests">
          {lane.costUsd === null ? "cost unknown" : formatUsd(lane.costUsd)}
        </span>
      </span>
    </button>
  );
}

function LaneStatus({ lane }: { lane: TLane }) {
  if (lane.status === "starting") return <SessionStatusBadge status="idle" label="Starting" />;
  return <SessionStatusBadge status={lane.status} label={lane.status === "idle" ? describeStatus(lane.status, lane.stopReason) : undefined} />;
}
