import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import { LeaseLostError } from "@/lib/errors";
import { wake } from "./wake";
import { sleep, type THarnessDeps } from "./wake-context";
import type { TClaim, WorkQueue } from "./work-queue";

export type THarnessWorkerOptions = {
  workerId?: string;
  /** How long a claim lasts without renewal (ms). A dead worker's sessions are taken over after it. */
  leaseMs?: number;
  /** How often an idle worker looks for queued sessions (ms). `notify()` cuts the wait short. */
  pollMs?: number;
  /** Sessions driven at once. */
  concurrency?: number;
};

export const DEFAULT_LEASE_MS = 15_000;

/**
 * Takes sessions with work from the durable queue and drives each with `wake`, holding its lease
 * (renewed every third of `leaseMs`) and fencing every append with it. When the lease is lost the
 * wake is aborted; when a wake fails unexpectedly the session is left queued and its lease runs out,
 * so another worker (or this one) retries it later. Runs inside the web server by default and in
 * `npm run worker` processes; any mix of them shares one queue.
 */
export class HarnessWorker {
  readonly workerId: string;
  private readonly leaseMs: number;
  private readonly pollMs: number;
  private readonly concurrency: number;
  private readonly active = new Map<string, { controller: AbortController; done: Promise<void> }>();
  private running = false;
  private loop: Promise<void> | undefined;
  private wakeUp: AbortController = new AbortController();
  private claims = 0;

  constructor(
    private readonly deps: THarnessDeps,
    private readonly queue: WorkQueue,
    options: THarnessWorkerOptions = {},
  ) {
    this.workerId = options.workerId ?? `${hostname()}:${process.pid}:${randomBytes(3).toString("hex")}`;
    this.leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
    this.pollMs = options.pollMs ?? 250;
    this.concurrency = options.concurrency ?? 100;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.claimLoop();
  }

  /** Work was queued: look now instead of at the next poll. */
  notify(): void {
    this.wakeUp.abort();
  }

  get activeSessions(): number {
    return this.active.size;
  }

  /**
   * Stops claiming and waits up to `graceMs` for sessions in flight, then aborts them. Whatever was
   * not finished stays queued; its leases run out and another worker resumes it from the log.
   */
  async stop(graceMs = 5_000): Promise<void> {
    this.running = false;
    this.notify();
    await this.loop;
    const all = Promise.all([...this.active.values()].map((a) => a.done));
    const timer = setTimeout(() => this.active.forEach((a) => a.controller.abort(new Error("worker stopping"))), graceMs);
    await all;
    clearTimeout(timer);
  }

  private async claimLoop(): Promise<void> {
    while (this.running) {
      let claimed: TClaim | null = null;
      if (this.active.size < this.concurrency) {
        try {
          // Each claim holds the lease under an id of its own, so that if this worker's lease on a
          // session ran out and it claimed the session again, the earlier run's renewals and fenced
          // appends fail instead of two runs driving one session.
          claimed = await this.queue.claim(`${this.workerId}#${++this.claims}`, this.leaseMs);
        } catch (error) {
          this.deps.log?.error("claiming work failed", { workerId: this.workerId, error: String(error) });
        }
      }
      if (claimed) {
        this.drive(claimed);
        continue;
      }
      this.wakeUp = new AbortController();
      await sleep(this.pollMs, this.wakeUp.signal);
    }
  }

  private drive(claim: TClaim): void {
    const controller = new AbortController();
    const key = claim.workerId;
    const done = this.run(claim, controller).finally(() => {
      this.active.delete(key);
      this.notify(); // a slot is free
    });
    this.active.set(key, { controller, done });
  }

  private async run(claim: TClaim, controller: AbortController): Promise<void> {
    let lost = false;
    const renewal = setInterval(async () => {
      const kept = await this.queue.renew(claim, this.leaseMs).catch(() => false);
      if (!kept) {
        lost = true;
        controller.abort(new LeaseLostError(claim.sessionId, claim.workerId));
      }
    }, Math.max(50, Math.floor(this.leaseMs / 3)));
    renewal.unref?.();
    let failed = false;
    try {
      await wake(claim.sessionId, this.deps, { leaseOwner: claim.workerId, signal: controller.signal });
    } catch (error) {
      failed = true;
      if (error instanceof LeaseLostError || lost) {
        this.deps.log?.warn("lease lost, another worker continues the session", { sessionId: claim.sessionId, workerId: this.workerId });
      } else {
        this.deps.log?.error("session failed in the harness; it stays queued for a retry", {
          sessionId: claim.sessionId,
          workerId: this.workerId,
          error: error instanceof Error ? error.message : String(error),
        });
      }
    } finally {
      clearInterval(renewal);
    }
    if (!failed) await this.queue.release(claim).catch(() => {});
  }
}
