import "server-only";
import type { TSessionSnapshot } from "@/lib/event-log/session-store";
import type { TEnvironmentConfig } from "@/lib/sandbox/environment-config";

/**
 * The durable queue of sessions that have work for a harness, with a lease per session so that
 * exactly one harness drives a session at a time. Implementations: `PrismaWorkQueue` (PostgreSQL and
 * PGlite; `FOR UPDATE SKIP LOCKED`) and `InMemoryWorkQueue` (unit tests).
 *
 * A session is queued when something it must react to is appended (a user message, a tool result,
 * a confirmation, an interrupt): `SessionStore.appendEvents(…, { wake: true })` does that in the same
 * transaction as the append, so the signal is never lost. Each wake request bumps a counter; a
 * release only removes the session from the queue when no wake request arrived after its claim.
 */
export interface WorkQueue {
  /** Queues the session (idempotent; bumps its wake counter). */
  enqueue(sessionId: string): Promise<void>;
  /**
   * Claims one queued session whose lease is free or expired, for `leaseMs`. Returns null when
   * there is none. Concurrent claimers never get the same session while its lease is live.
   * `known`: the last seq of each session whose log the claimer already holds (log-cache.ts): a
   * snapshot of one of them brings only the events after it (`TClaimSnapshot.afterSeq`).
   */
  claim(workerId: string, leaseMs: number, known?: ReadonlyMap<string, number>): Promise<TClaim | null>;
  /** Extends a lease still held by this worker; false when it was lost (expired and taken over). */
  renew(claim: TClaim, leaseMs: number): Promise<boolean>;
  /**
   * Gives the session back. It leaves the queue unless it was woken again after `claim.wakeCount`
   * was read (or the lease had run out), in which case it stays queued (lease cleared) for the next
   * claim: then true, so that the worker looks again now. False too when the lease was not this claim's.
   */
  release(claim: TClaim): Promise<boolean>;
  /**
   * Hands the lease back at once, the session staying queued in its place, so that any worker may
   * claim it now instead of at the lease's expiry: for a worker that stops before the session's work
   * is done. Fenced like a renewal: it does nothing once the lease is no longer this worker's.
   * Returns whether it handed one back.
   */
  abandon(claim: TClaim): Promise<boolean>;
  /** True while `workerId` holds a live lease on the session (the fence for harness appends). */
  holdsLease(sessionId: string, workerId: string): Promise<boolean>;
}

/**
 * The session's record and a page of its log as a claim read them: the `LOG_PAGE` events after
 * `afterSeq`, which is the seq the claimer said it knows the log up to (`claim`'s `known`), or 0
 * (absent too): the log from its start.
 */
export type TClaimSnapshot = TSessionSnapshot & { afterSeq?: number };

/** An environment's config as a claim read it, by the environment's id. */
export type TClaimedEnvironment = { id: string; config: TEnvironmentConfig | null };

export type TClaim = {
  sessionId: string;
  workerId: string;
  wakeCount: number;
  leaseExpiresAt: Date;
  /**
   * The session's record and a page of its log (`TClaimSnapshot`), as the claim found them, when
   * the queue reads them with the claim (`PrismaWorkQueue` does, in the claim's statement): given to
   * `wake` (with what the worker kept of the log before `afterSeq`), which then reads neither again.
   */
  snapshot?: TClaimSnapshot;
  /**
   * The config of the session's environment (null: the environment is gone), read with the
   * snapshot: the wake then does not read it again (`TWakeOptions.environment`).
   */
  environment?: TClaimedEnvironment;
  /**
   * Whether other sessions were queued and free to claim when this one was claimed; false tells a
   * worker it need not look again before it is notified or polls. Absent: unknown, look again.
   */
  more?: boolean;
};
