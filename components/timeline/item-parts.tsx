import type { ReactNode } from "react";
import { formatClock } from "./format";

/** A quiet line of text inside an item (what is missing, what happened instead). */
export function Note({ children }: { children: ReactNode }) {
  return <p className="text-sm text-zinc-500 italic dark:text-zinc-400">{children}</p>;
}

/** The event's seq and time: a button that moves the player to it. */
export function JumpLabel({ seq, at, onJump }: { seq: number; at: string | null; onJump(seq: number): void }) {
  return (
    <button
      type="button"
      onClick={() => onJump(seq)}
      title={at ? `Event ${seq}, ${at}` : `Event ${seq}`}
      className="shrink-0 rounded px-1 font-mono text-xs text-zinc-600 tabular-nums hover:bg-zinc-100 hover:text-zinc-900 dark:text-zinc-400 dark:hover:bg-zinc-800 dark:hover:text-zinc-100"
    >
      {/* the visible text is part of the name (WCAG 2.5.3): "Jump to event #3 12:04:05" */}
      <span className="sr-only">Jump to event </span>#{seq}
      {at ? <span className="ml-1.5 hidden sm:inline">{formatClock(at)}</span> : null}
    </button>
  );
}
