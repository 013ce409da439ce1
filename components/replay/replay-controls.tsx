"use client";

import type { Dispatch } from "react";
import { seqAtPosition, SPEEDS, type TReplayAction, type TReplayCursor, type TSpeed } from "@/lib/timeline/replay-cursor";

const iconButton =
  "inline-flex size-9 items-center justify-center rounded-lg text-zinc-700 hover:bg-zinc-100 disabled:opacity-40 disabled:hover:bg-transparent dark:text-zinc-300 dark:hover:bg-zinc-800";

/** Play/pause, step, a scrubber over the events and the speed. Space and the arrow keys work too. */
export function ReplayControls({ cursor, dispatch, onJumped }: { cursor: TReplayCursor; dispatch: Dispatch<TReplayAction>; onJumped(position: number): void }) {
  const { events, position, playing, speed } = cursor;
  const end = events.length;
  const seq = seqAtPosition(events, position);
  const step = (by: number) => {
    const next = Math.max(0, Math.min(end, position + by));
    dispatch({ type: "step", by });
    onJumped(next);
  };
  return (
    <div className="flex flex-col gap-2 sm:flex-row sm:items-center sm:gap-3">
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
      <label className="flex min-w-0 flex-1 items-center gap-3">
        <span className="sr-only">Position in the session</span>
        <input
          type="range"
          min={0}
          max={end}
          step={1}
          value={position}
          aria-valuetext={position === 0 ? "Start, no event shown" : `Event ${position} of ${end} (seq ${seq})`}
          onChange={(event) => {
            const next = Number(event.currentTarget.value);
            dispatch({ type: "seek", position: next });
            onJumped(next);
          }}
          className="h-2 min-w-0 flex-1 cursor-pointer accent-brand-600"
        />
        <span aria-hidden="true" className="shrink-0 font-mono text-xs text-zinc-600 tabular-nums dark:text-zinc-400">
          {position}/{end}
        </span>
      </label>
      <label className="flex items-center gap-2 text-sm text-zinc-600 dark:text-zinc-400">
        Speed
        <select
          value={speed}
          onChange={(event) => dispatch({ type: "speed", speed: Number(event.currentTarget.value) as TSpeed })}
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
