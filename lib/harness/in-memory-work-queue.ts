import "server-only";
import type { TClaim, WorkQueue } from "./work-queue";

type TWork = {
  wakeCount: number;
  leaseOwner: string | null;
  leaseExpiresAt: number | null;
  queuedAt: number;
  /** Breaks ties between sessions queued at the same instant: first queued, first claimed. */
  order: number;
  attempts: number;
};

/**
 * A `WorkQueue` in memory, for unit tests, with the same semantics as `PrismaWorkQueue`. Time comes
 * from the injected `now` (milliseconds), so tests can expire leases without waiting. The
 * synchronous `enqueueSync` and `holdsLeaseSync` let `InMemorySessionStore` wake and fence within
 * one append, as the Prisma store does within one transaction.
 */
export class InMemoryWorkQueue implements WorkQueue {
  private readonly work = new Map<string, TWork>();
  private readonly now: () => number;
  private nextOrder = 0;

  constructor(options: { now?: () => number } = {}) {
    this.now = options.now ?? Date.now;
  }

  async enqueue(sessionId: string): Promise<void> {
    this.enqueueSync(sessionId);
  }

  enqueueSync(sessionId: string): void {
    const work = this.work.get(sessionId);
    if (work) {
      work.wakeCount += 1;
      return;
    }
    const queuedAt = this.now();
    this.work.set(sessionId, { wakeCount: 1, leaseOwner: null, leaseExpiresAt: null, queuedAt, order: this.nextOrder++, attempts: 0 });
  }

  async claim(workerId: string, leaseMs: number): Promise<TClaim | null> {
    assertLeaseMs(leaseMs);
    const now = this.now();
    let next: [string, TWork] | undefined;
    for (const entry of this.work) {
      const [, work] = entry;
      if (work.leaseExpiresAt !== null && work.leaseExpiresAt > now) continue;
      if (!next || work.queuedAt < next[1].queuedAt || (work.queuedAt === next[1].queuedAt && work.order < next[1].order)) next = entry;
    }
    if (!next) return null;
    const [sessionId, work] = next;
    work.leaseOwner = workerId;
    work.leaseExpiresAt = now + leaseMs;
    work.attempts += 1;
    const more = [...this.work].some(([id, w]) => id !== sessionId && (w.leaseExpiresAt === null || w.leaseExpiresAt <= now));
    return { sessionId, workerId, wakeCount: work.wakeCount, leaseExpiresAt: new Date(work.leaseExpiresAt), more };
  }

  async renew(claim: TClaim, leaseMs: number): Promise<boolean> {
    assertLeaseMs(leaseMs);
    const work = this.liveLease(claim.sessionId, claim.workerId);
    if (!work) return false;
    work.leaseExpiresAt = this.now() + leaseMs;
    return true;
  }

  async release(claim: TClaim): Promise<boolean> {
    const work = this.work.get(claim.sessionId);
    if (!work || work.leaseOwner !== claim.workerId) return false;
    if (work.wakeCount === claim.wakeCount && this.liveLease(claim.sessionId, claim.workerId)) {
      this.work.delete(claim.sessionId);
      return false;
    }
    work.leaseOwner = null;
    work.leaseExpiresAt = null;
    work.queuedAt = this.now();
    work.order = this.nextOrder++;
    return true;
  }

  async abandon(claim: TClaim): Promise<boolean> {
    const work = this.liveLease(claim.sessionId, claim.workerId);
    if (!work) return false;
    work.leaseOwner = null;
    work.leaseExpiresAt = null;
    return true;
  }

  async holdsLease(sessionId: string, workerId: string): Promise<boolean> {
    return this.holdsLeaseSync(sessionId, workerId);
  }

  holdsLeaseSync(sessionId: string, workerId: string): boolean {
    return this.liveLease(sessionId, workerId) !== null;
  }

  private liveLease(sessionId: string, workerId: string): TWork | null {
    const work = this.work.get(sessionId);
    if (!work || work.leaseOwner !== workerId || work.leaseExpiresAt === null || work.leaseExpiresAt <= this.now()) return null;
    return work;
  }
}

function assertLeaseMs(leaseMs: number): void {
  if (!Number.isFinite(leaseMs) || leaseMs <= 0) throw new RangeError(`leaseMs must be a positive number of milliseconds (got ${leaseMs})`);
}
