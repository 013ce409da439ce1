import type { TStoredEvent } from "@/lib/event-log/events";

/**
 * Fan-out of what happens in a session to whoever watches it (Socket.io rooms, SSE streams, a
 * harness waiting for an interrupt). Committed events are published after their transaction
 * commits; previews (token deltas) are published as they are produced and never stored.
 * Implementations: `InMemoryEventBus` (one process) and `RedisEventBus` (every process sharing a
 * Redis server); `createEventBus` picks one from the environment.
 */
export type TPreview =
  | { type: "event_start"; event: { type: "agent.message" | "agent.thinking"; id: string } }
  | { type: "event_delta"; event_id: string; delta: { type: "content_delta"; index: number; content: { type: "text"; text: string } } }
  | TToolOutputPreview;

/**
 * Output of a running bash command, as it streams (redacted, coalesced and capped by
 * lib/harness/live-tool-output.ts). Not Managed Agents vocabulary: only the web app's session view
 * receives it (Socket.io, member audience), never the SSE API. The `agent.tool_result` that follows
 * is authoritative and replaces it. `truncated`: the call's live cap was reached, nothing more follows.
 */
export type TToolOutputPreview = { type: "tool_output"; tool_use_id: string; stream: "stdout" | "stderr"; text: string; truncated?: boolean };

/** Most characters of live output one tool call publishes (the rest arrives with its result). */
export const TOOL_OUTPUT_PREVIEW_MAX_CHARS = 32_768;

export type TBusMessage =
  | { kind: "events"; events: TStoredEvent[] }
  | { kind: "preview"; preview: TPreview }
  /** The session was deleted: streams send `session.deleted` and close. */
  | { kind: "deleted" };

export interface EventBus {
  publish(sessionId: string, message: TBusMessage): void;
  /** Returns the function that unsubscribes. */
  subscribe(sessionId: string, listener: (message: TBusMessage) => void): () => void;
  /**
   * Resolves once what is published from now on, in any process, reaches this process's
   * subscribers of the session (a broker subscription takes a round trip). Call it after
   * `subscribe` and before reading the log, so nothing committed in between is missed. Buses
   * whose subscriptions are immediate may leave it out.
   */
  whenSubscribed?(sessionId: string): Promise<void>;
}

/** Waits until `bus` delivers the session's messages published from now on (see `whenSubscribed`). */
export function whenSubscribed(bus: EventBus, sessionId: string): Promise<void> {
  return bus.whenSubscribed ? bus.whenSubscribed(sessionId) : Promise.resolve();
}

export class InMemoryEventBus implements EventBus {
  private readonly listeners = new Map<string, Set<(message: TBusMessage) => void>>();

  publish(sessionId: string, message: TBusMessage): void {
    for (const listener of this.listeners.get(sessionId) ?? []) {
      try {
        listener(message);
      } catch {
        // one failing listener must not keep the message from the others
      }
    }
  }

  subscribe(sessionId: string, listener: (message: TBusMessage) => void): () => void {
    let set = this.listeners.get(sessionId);
    if (!set) this.listeners.set(sessionId, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0 && this.listeners.get(sessionId) === set) this.listeners.delete(sessionId);
    };
  }

  /** Nothing to release; here so every bus `createEventBus` returns can be closed alike. */
  async close(): Promise<void> {}
}
