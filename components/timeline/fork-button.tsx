"use client";

import { useState, useTransition } from "react";

/**
 * Forks the session from an event: a server action that opens the new session when it is made, or
 * answers why not. (A redirect from the action is the success path: it never returns.)
 */
export type TForkAction = (eventId: string) => Promise<{ status: "error"; message?: string } | { status: "idle" | "success" }>;

/** "Fork from here" for one event: a new session whose log is this one's up to and including it. */
export function ForkButton({ action, eventId, seq, className = "" }: { action: TForkAction; eventId: string; seq: number; className?: string }) {
  const [pending, start] = useTransition();
  const [error, setError] = useState<string | null>(null);
  return (
    <span className={`inline-flex items-center gap-2 ${className}`}>
      <button
        type="button"
        disabled={pending}
        data-testid="fork-from-here"
        data-event-id={eventId}
        aria-label={`Fork from here: a new session with this session's events up to #${seq}`}
        title="A new session whose conversation is this one up to here"
        onClick={() =>
          start(async () => {
            setError(null);
            const answer = await action(eventId);
            if (answer.status === "error") setError(answer.message ?? "This session could not be forked.");
          })
        }
        className="rounded-md px-1.5 py-0.5 text-xs font-medium text-brand-700 hover:bg-brand-50 disabled:opacity-60 dark:text-brand-300 dark:hover:bg-zinc-800"
      >
        {pending ? "Forking…" : "Fork from here"}
      </button>
      {error ? (
        <span role="alert" className="text-xs text-red-700 dark:text-red-300">
          {error}
        </span>
      ) : null}
    </span>
  );
}
