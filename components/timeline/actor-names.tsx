"use client";

import { createContext, useContext, type ReactNode } from "react";
import type { TEventActor } from "@/lib/event-log/events";
import { actorLabel, type TActorNames } from "@/lib/timeline/actor-label";

/**
 * The names of who sent client events, for the timeline's items. The session view provides them (a
 * member's page); the public replay does not, and its events carry no actor (view-events.ts), so
 * it names no one.
 */
const ActorNamesContext = createContext<TActorNames | null>(null);

export function ActorNamesProvider({ names, children }: { names: TActorNames; children: ReactNode }) {
  return <ActorNamesContext.Provider value={names}>{children}</ActorNamesContext.Provider>;
}

/** Who sent it, as shown (`actorLabel`); null when the log does not say, or this view names no one. */
export function useActorLabel(actor: TEventActor | undefined): string | null {
  const names = useContext(ActorNamesContext);
  return actor && names ? actorLabel(actor, names) : null;
}

/** "by <name>" beside what a person did; nothing when no one is named. */
export function SentBy({ actor, className = "" }: { actor: TEventActor | undefined; className?: string }) {
  const label = useActorLabel(actor);
  return label === null ? null : (
    <span data-testid="sent-by" className={`text-xs text-zinc-500 dark:text-zinc-400 ${className}`}>
      by <span className="font-medium text-zinc-700 dark:text-zinc-300">{label}</span>
    </span>
  );
}
