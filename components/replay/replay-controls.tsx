"use client";

import { useMemo, useState, type Dispatch } from "react";
import { seqAtPosition, SPEEDS, type TReplayAction, type TReplayCursor, type TSpeed } from "@/lib/timeline/replay-cursor";
import { formatClock, positionAtTime, scrubberTicks, timeAtPosition, type TTickKind } from "@/lib/timeline/replay-time";

const iconButton =
  "inline-flex size-9 items-center justify-center rounded-lg text-zinc-700 hover:bg-zinc-100 disabled:opacity-40 disabled:hover:bg-transparent dark:text-zinc-300 dark:hover:bg-zinc-800";

const TICK_CLASS: Record<TTickKind, string> = {
  user: "h-2.5 bg-brand-600 dark:bg-brand-400",
  tool: "h-1.5 bg-zinc-400 dark:bg-zinc-500",
  error: "h-2.5 bg-red-600 dark:bg-red-400",
};
const TICK_NAME: Record<TTickKind, string> = { user: "user message", tool: "tool call", error: "error" };

type TProps = {
  cursor: TReplayCursor;
  /** Each event's time from the first (replay-time.ts). */
  times: readonly number[];
  dispatch: Dispatch<TReplayAction>;
  onJumped(position: number): void;
  onSpeed(speed: TSpeed): void;
};

/**
 * Play/pause, step, a scrubber in time (from the first event to the last, with a tick for each user
 * message, tool call and error) and the speed. Space, the arrows and 1–5 work too.
 */
export function ReplayControls({ cursor, times, dispatch, onJumped, onSpeed }: TProps) {
  const { events, position, playing, speed } = cursor;
  const end = events.length;
  const seq = seqAtPosition(events, position);
  const span = times.at(-1) ?? 0;
  const now = timeAtPosition(times, position);
  const ticks = useMemo(() => scrubberTicks(events, times), [events, times]);
  // the thumb stays where it was put (in an idle gap, say) until the position moves otherwise
  const [put, setPut] = useState<{ ms: number; position: number } | null>(null);
  const thumb = put && put.position === position ? put.ms : now;
  const step = (by: number) => {
    const next = Math.max(0, Math.min(end, position + by));
    dispatch({ type: "step", by });
    onJumped(next);
  };
  return (
    <div className="flex flex-wrap items-center gap-x-3 gap-y-2 sm:flex-nowrap">
      <div className="flex items-center gap-1">
        <button type="button" className={iconButton} onClick={() => step(-1)} disabled={position === 0} aria-label="Previous event" aria-keyshortcuts="ArrowLeft" title="Previous event (←)">
          <svg aria-hidden="true" viewBox="0 0 20 20" className="size-4" fill="currentColor">
            <path d="M5 4h2v12H5zM16 4v12L8 10z" />
          </svg>
        </button>
        <button
          type="button"
          className="inline-flex size-10 items-center justify-center rounded-full bg-brand-600 text-white shadow-sm hover:bg-brand-700 disabled:opacity-50"
          onClick={() => dispatch({ type: "toggle" })}
          disabled={end === 0}
          aria-label={playing ? "Pause" : "Play"}
          aria-keyshortcuts="Space"
          title={playing ? "Pause (space)" : "Play (space)"}
        >
          {playing ? (
            <svg aria-hidden="true" viewBox="0 0 20 20" className="size-4" fill="currentColor">
              <path d="M5 4h3.5v12H5zM11.5 4H15v12h-3.5z" />
            </svg>
          ) : (
            <svg aria-hidden="true" viewBox="0 0 20 20" className="size-4 translate-x-px" fill="currentColor">
              <path d="M6 4v12l10-6z" />
            </svg>
          )}
        </button>
        <button type="button" className={iconButton} onClick={() => step(1)} disabled={position === end} aria-label="Next event" aria-keyshortcuts="ArrowRight" title="Next event (→)">
          <svg aria-hidden="true" viewBox="0 0 20 20" className="size-4" fill="currentColor">
            <path d="M13 4h2v12h-2zM4 4v12l8-6z" />
          </svg>
        </button>
      </div>
      <div className="order-last flex w-full min-w-0 items-center gap-3 sm:order-none sm:w-auto sm:flex-1">
        <div className="relative flex min-w-0 flex-1 flex-col">
          <input
            type="range"
            min={0}
            // a session whose events all share one moment still scrubs from the start to them
            max={Math.max(span, 1)}
            step={1}
            value={span > 0 ? thumb : position > 0 ? 1 : 0}
            aria-label="Position in the session"
            aria-keyshortcuts="ArrowLeft ArrowRight Shift+ArrowLeft Shift+ArrowRight Home End"
            aria-valuetext={position === 0 ? `Start, ${formatClock(span)} in all` : `${formatClock(now)} of ${formatClock(span)}, event #${seq}`}
            data-testid="replay-scrubber"
            onChange={(event) => {
              const value = Number(event.currentTarget.value);
              const next = span > 0 ? positionAtTime(times, value) : value > 0 ? end : 0;
              setPut({ ms: value, position: next });
              dispatch({ type: "seek", position: next });
              onJumped(next);
            }}
            className="h-2 w-full min-w-0 cursor-pointer accent-brand-600"
          />
          {/* the ticks sit under the track, where the thumb's centre runs (8 px in from either end) */}
          <div aria-hidden="true" className="pointer-events-none relative mt-1 h-2.5">
            {ticks.map((tick) => (
              <span
                key={tick.seq}
                data-testid="replay-tick"
                data-kind={tick.kind}
                title={`${TICK_NAME[tick.kind]} · event #${tick.seq}`}
                className={`absolute top-0 w-0.5 -translate-x-1/2 rounded-full ${TICK_CLASS[tick.kind]}`}
                style={{ left: `calc(8px + ${tick.fraction} * (100% - 16px))` }}
              />
            ))}
          </div>
        </div>
        <span aria-hidden="true" data-testid="replay-clock" className="shrink-0 font-mono text-xs text-zinc-600 tabular-nums dark:text-zinc-400">
          {formatClock(thumb)} / {formatClock(span)}
        </span>
      </div>
      <label className="ml-auto flex items-center gap-2 text-sm text-zinc-600 sm:ml-0 dark:text-zinc-400">
        Speed
        <select
          value={speed}
          aria-keyshortcuts="1 2 3 4 5 + -"
          onChange={(event) => {
            const next = Number(event.currentTarget.value) as TSpeed;
            dispatch({ type: "speed", speed: next });
            onSpeed(next);
          }}
          className="rounded-md border border-zinc-300 bg-white px-2 py-1 text-sm text-zinc-900 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100"
        >
          {SPEEDS.map((s) => (
            <option key={s} value={s}>
              {s}×
            </option>
          ))}
        </select>
      </label>
    </div>
  );
}
