"use client";

import { useMemo } from "react";
import type { TTimelineState } from "@/lib/timeline/fold-timeline";
import { waterfallOf } from "@/lib/timeline/waterfall";
import { useNow } from "./use-now";
import { WaterfallTurn } from "./waterfall-turn";

/**
 * The session as a waterfall: each turn on a time axis of its own, with its model requests
 * (duration, input and output tokens) and tool calls (how long each ran) as bars. A fold of the
 * same live timeline the conversation shows, so it follows the session as events arrive; while a
 * turn runs, a clock stretches its open bars up to now. The list scrolls, and takes the keyboard
 * focus to do so; every bar is also said in words.
 */
export function SessionWaterfall({ timeline, running }: { timeline: TTimelineState; running: boolean }) {
  const nowMs = useNow(running);
  const waterfall = useMemo(() => waterfallOf(timeline, { nowMs }), [timeline, nowMs]);
  return (
    <div
      role="region"
      aria-label="Turns, model requests and tool calls"
      tabIndex={0}
      className="flex min-h-0 flex-1 flex-col gap-2 overflow-y-auto rounded-xl focus-visible:outline-2 focus-visible:outline-brand-500"
      data-testid="session-waterfall"
    >
      {waterfall.turns.length === 0 ? (
        <p className="rounded-lg border border-dashed border-zinc-300 px-6 py-10 text-center text-sm text-zinc-600 dark:border-zinc-700 dark:text-zinc-400">
          No turn yet. Each turn of the agent will show here as bars in time: its model requests and tool calls.
        </p>
      ) : (
        <>
          <p className="px-1 text-xs text-zinc-600 dark:text-zinc-400">
            <span className="mr-1 inline-block size-2 rounded-sm bg-brand-500 align-middle" aria-hidden="true" /> model request{" "}
            <span className="mr-1 ml-3 inline-block size-2 rounded-sm bg-emerald-500 align-middle" aria-hidden="true" /> tool call{" "}
            <span className="mr-1 ml-3 inline-block size-2 rounded-sm bg-zinc-300 align-middle" aria-hidden="true" /> waiting for approval
          </p>
          {waterfall.turns.map((turn) => (
            <WaterfallTurn key={turn.key} turn={turn} nowMs={waterfall.nowMs} />
          ))}
        </>
      )}
    </div>
  );
}
