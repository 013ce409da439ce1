import type { TStoredEvent } from "@/lib/session/events";
import type { SessionStore } from "@/lib/session/session-store";
import { whenSubscribed, type EventBus, type TPreview } from "./event-bus";

export const FOLLOW_PAGE_SIZE = 500;

export type TFollowOptions = {
  store: Pick<SessionStore, "getEvents">;
  bus: EventBus;
  sessionId: string;
  /** The last seq the follower already has: it gets the events after it. */
  afterSeq: number;
  /** Events in seq order, each seq once, with no gap: first afterSeq + 1, then each next one. */
  onEvents(events: TStoredEvent[]): void;
  onPreview(preview: TPreview): void;
  /** The session was deleted; following has stopped. */
  onDeleted(): void;
  /** A failed read of the log after the first catch-up (the next poll or bus message retries). */
  onReadError?(error: unknown): void;
  pageSize?: number;
  /**
   * How often the log is read anyway: the safety net for events whose bus message never came
   * (appended by a process on another bus, or lost while a broker was unreachable).
   */
  pollMs: number;
};

export type TFollow = {
  /** The last seq handed to `onEvents`. */
  lastSeq(): number;
  stop(): void;
};

/**
 * Follows a session's log from `afterSeq`: what the log holds after it, then what is committed
 * later, each seq exactly once and in order. The bus subscription comes first and the log is read
 * after it is live, so nothing committed in between is missed. A bus message that continues the
 * sequence is passed on at once; one that leaves a gap (or comes late, or twice) makes the
 * follower read the log from its last seq instead, so order and uniqueness never depend on the
 * bus. Resolves once the log has been read to its end (rejects, having stopped, if that read fails).
 */
export async function followSession(options: TFollowOptions): Promise<TFollow> {
  const { store, bus, sessionId } = options;
  const pageSize = options.pageSize ?? FOLLOW_PAGE_SIZE;
  let lastSent = options.afterSeq;
  let stopped = false;
  let reading: Promise<void> | null = null;
  let readAgain = false;

  /** Passes on the events that continue the sequence; false when a gap was found. */
  const accept = (events: readonly TStoredEvent[]): boolean => {
    const fresh: TStoredEvent[] = [];
    let gap = false;
    for (const event of [...events].sort((a, b) => a.seq - b.seq)) {
      if (event.seq <= lastSent) continue;
      if (event.seq !== lastSent + 1) {
        gap = true;
        break;
      }
      fresh.push(event);
      lastSent = event.seq;
    }
    if (fresh.length > 0 && !stopped) options.onEvents(fresh);
    return !gap;
  };

  /** Reads the log after the last seq passed on; calls while a read runs make it read once more. */
  const readLog = (): Promise<void> => {
    if (reading) {
      readAgain = true;
      return reading;
    }
    reading = (async () => {
      do {
        readAgain = false;
        for (;;) {
          if (stopped) return;
          const events = await store.getEvents(sessionId, { afterSeq: lastSent, limit: pageSize });
          accept(events);
          if (events.length < pageSize) break;
        }
      } while (readAgain && !stopped);
    })().finally(() => (reading = null));
    return reading;
  };
  const readInBackground = () =>
    void readLog().catch((error: unknown) => {
      if (!stopped) options.onReadError?.(error);
    });

  const unsubscribe = bus.subscribe(sessionId, (message) => {
    if (stopped) return;
    if (message.kind === "events") {
      if (!accept(message.events)) readInBackground();
    } else if (message.kind === "preview") {
      options.onPreview(message.preview);
    } else {
      stop();
      options.onDeleted();
    }
  });
  const poll = setInterval(readInBackground, options.pollMs);
  poll.unref?.();

  function stop() {
    if (stopped) return;
    stopped = true;
    clearInterval(poll);
    unsubscribe();
  }

  try {
    await whenSubscribed(bus, sessionId);
    await readLog();
  } catch (error) {
    stop();
    throw error;
  }
  return { lastSeq: () => lastSent, stop };
}
