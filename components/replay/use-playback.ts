"use client";

import { useEffect, useRef, type Dispatch } from "react";
import { advanceBy, IDLE_GAP_MS, type TReplayAction, type TReplayCursor } from "@/lib/timeline/replay-cursor";

/**
 * Moves a playing cursor along, frame by frame: each frame spends the time elapsed, times the
 * speed, on the events' own gaps (idle ones skipped: see stepDelayMs). A frame that falls far behind (a background tab) does
 * not make the player leap: at most one long gap is carried over.
 */
export function usePlayback(cursor: TReplayCursor, dispatch: Dispatch<TReplayAction>): void {
  const ref = useRef(cursor);
  ref.current = cursor;

  useEffect(() => {
    if (!cursor.playing) return;
    let frame = 0;
    let last = performance.now();
    let budget = 0;
    const tick = (now: number) => {
      const { events, position, speed, playing } = ref.current;
      if (!playing) return;
      budget = Math.min(budget + (now - last) * speed, IDLE_GAP_MS * speed);
      last = now;
      const next = advanceBy(events, position, budget);
      budget = next.leftMs;
      if (next.position !== position) dispatch({ type: "advance", position: next.position });
      if (next.position < events.length) frame = requestAnimationFrame(tick);
    };
    frame = requestAnimationFrame(tick);
    return () => cancelAnimationFrame(frame);
  }, [cursor.playing, dispatch]);
}
