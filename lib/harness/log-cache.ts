import "server-only";
import type { TStoredEvent } from "@/lib/event-log/events";
import type { TClaimSnapshot } from "./work-queue";

/** Events kept over all sessions, by default: a few tens of MB at most. */
export const LOG_CACHE_EVENTS = 20_000;
/** Sessions kept, by default: their seqs go with every claim (`WorkQueue.claim`'s `known`). */
export const LOG_CACHE_SESSIONS = 200;

/**
 * The logs of the sessions a worker drove last, kept between its wakes so that a claim brings only
 * what was appended since (`WorkQueue.claim`'s `known`, `TClaimSnapshot.afterSeq`) instead of the
 * whole log again: a long session's every turn would otherwise send and parse all of it.
 *
 * Decision: keeping a log outside the database cannot make it wrong, because a log only grows: an
 * event committed at a seq never changes and never goes away while its session can be claimed. So
 * what is kept is a prefix of the log for good, whichever worker appended after it. Only what was
 * read from the log (a wake's `events`) is kept, never what is being written. The log stays the
 * source of truth: a claim whose events follow a seq that is not kept here (evicted meanwhile) is
 * not used, and the wake reads the log itself.
 *
 * Bounded by `maxEvents` over all sessions and `maxSessions`, the least recently driven leaving
 * first; a log longer than `maxEvents` by itself is not kept.
 */
export class LogCache {
  /** By session, in the order they were last remembered (oldest first); each contiguous from seq 1. */
  private readonly logs = new Map<string, readonly TStoredEvent[]>();
  private events = 0;

  constructor(
    private readonly maxEvents = LOG_CACHE_EVENTS,
    private readonly maxSessions = LOG_CACHE_SESSIONS,
  ) {}

  /** The last seq kept for each session, for the claim. */
  known(): ReadonlyMap<string, number> {
    const known = new Map<string, number>();
    for (const [sessionId, log] of this.logs) known.set(sessionId, log.length);
    return known;
  }

  /** The last seq kept for one session; undefined when none is kept. */
  knownSeq(sessionId: string): number | undefined {
    return this.logs.get(sessionId)?.length;
  }

  /**
   * The whole snapshot a claim stands for: the kept events up to its `afterSeq`, then its own.
   * Undefined when its events follow a seq not kept (then the wake reads the log).
   */
  complete(snapshot: TClaimSnapshot): TClaimSnapshot | undefined {
    const afterSeq = snapshot.afterSeq ?? 0;
    if (afterSeq === 0) return snapshot;
    const kept = this.logs.get(snapshot.session.id);
    if (!kept || kept.length < afterSeq || kept[afterSeq - 1]!.seq !== afterSeq) return undefined;
    return { session: snapshot.session, events: [...kept.slice(0, afterSeq), ...snapshot.events], afterSeq };
  }

  /** Keeps `log` (contiguous from seq 1, as a wake ends with it) as the session's, unless a longer one is kept. */
  remember(sessionId: string, log: readonly TStoredEvent[]): void {
    if (log.length === 0 || log[0]!.seq !== 1 || log.at(-1)!.seq !== log.length) return;
    const kept = this.logs.get(sessionId);
    const keep = kept && kept.length > log.length ? kept : log;
    this.forget(sessionId);
    if (keep.length > this.maxEvents) return;
    this.logs.set(sessionId, keep);
    this.events += keep.length;
    for (const [oldest, old] of this.logs) {
      if (this.events <= this.maxEvents && this.logs.size <= this.maxSessions) break;
      this.logs.delete(oldest);
      this.events -= old.length;
    }
  }

  forget(sessionId: string): void {
    const kept = this.logs.get(sessionId);
    if (!kept) return;
    this.logs.delete(sessionId);
    this.events -= kept.length;
  }

  get size(): { sessions: number; events: number } {
    return { sessions: this.logs.size, events: this.events };
  }
}
