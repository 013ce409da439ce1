import "server-only";
import { AsyncResource } from "node:async_hooks";
import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import { LeaseLostError } from "@/lib/errors";
import { LogCache } from "./log-cache";
import { wake } from "./wake";
import { sleep, WakeStoppedError, type THarnessDeps, type TWakeOptions } from "./wake-context";
import type { TClaim, WorkQueue } from "./work-queue";

export type THarnessWorkerOptions = {
  workerId?: string;
  /** How long a claim lasts without renewal (ms). A dead worker's sessions are taken over after it. */
  leaseMs?: number;
  /** How often an idle worker looks for queued sessions (ms). `notify()` cuts the wait short. */
  pollMs?: number;
  /** Sessions driven at once. */
  concurrency?: number;
  /** On `stop`, how long a model call in flight may take to finish before it is aborted (ms). */
  shutdownGraceMs?: number;
  /** Drives one claimed session: `wake`, or `wake` decorated (create-harness traces each call as a turn). */
  wake?: typeof wake;
};

/** `HarnessWorker.reserveClaim`: a slot held for a claim an append makes for this worker. */
export type TClaimReservation = {
  claimId: string;
  leaseMs: number;
  /** The seq up to which the worker holds the session's log (0: none of it): the claim's snapshot is the log after it. */
  knownSeq: number;
  adopt(claim: TClaim): void;
  cancel(): void;
};

export const DEFAULT_LEASE_MS = 15_000;
export const DEFAULT_SHUTDOWN_GRACE_MS = 5_000;

/**
 * Takes sessions with work from the durable queue and drives each with `wake`, holding its lease
 * (renewed every third of `leaseMs`) and fencing every append with it. When the lease is lost the
 * wake is aborted; when a wake fails unexpectedly the session is left queued and its lease runs out,
 * so another worker (or this one) retries it later; when the worker stops, the sessions it leaves
 * unfinished are handed back at once (see `stop`). Runs inside the web server by default and in
 * `npm run worker` processes; any mix of them shares one queue.
 */
export class HarnessWorker {
  readonly workerId: string;
  private readonly leaseMs: number;
  private readonly pollMs: number;
  private readonly concurrency: number;
  private readonly active = new Map<string, { sessionId: string; controller: AbortController; done: Promise<void> }>();
  /** Aborted by `stop`: every wake in flight is asked to stop (see `wake`'s `stopping`). */
  private readonly stopping = new AbortController();
  private readonly graceMs: number;
  private readonly wake: typeof wake;
  private running = false;
  private loop: Promise<void> | undefined;
  private wakeUp: AbortController = new AbortController();
  /** Set by `notify`, cleared before each claim: a notice that came while a claim ran is not lost. */
  private notified = false;
  private claims = 0;
  /** The logs of the sessions this worker drove last: a claim of one brings only what is new. */
  private readonly logs = new LogCache();
  /** Claims offered to appends (`reserveClaim`) not yet taken or withdrawn: each holds a slot. */
  private reserved = 0;
  /** The worker's own async context: a wake an append hands over runs in it, not in the request's. */
  private readonly context = new AsyncResource("HarnessWorker");

  constructor(
    private readonly deps: THarnessDeps,
    private readonly queue: WorkQueue,
    options: THarnessWorkerOptions = {},
  ) {
    this.workerId = options.workerId ?? `${hostname()}:${process.pid}:${randomBytes(3).toString("hex")}`;
    this.leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
    this.pollMs = options.pollMs ?? 250;
    this.concurrency = options.concurrency ?? 100;
    this.graceMs = options.shutdownGraceMs ?? DEFAULT_SHUTDOWN_GRACE_MS;
    this.wake = options.wake ?? wake;
  }

  start(): void {
    if (this.running || this.stopping.signal.aborted) return;
    this.running = true;
    this.loop = this.claimLoop();
  }

  /** Work was queued: look now instead of at the next poll. */
  notify(): void {
    this.notified = true;
    this.wakeUp.abort();
  }

  /**
   * A slot for a claim made elsewhere: by the append that wakes `sessionId` (claim-on-wake.ts).
   * Null when the worker is not running or has no room. The claim's id is the worker's, as its own
   * claims' are; `adopt` drives the claimed session as a claim of its own would be, `cancel` gives
   * the slot back when the append did not claim. Exactly one of them must follow.
   */
  reserveClaim(sessionId: string): TClaimReservation | null {
    if (!this.running || this.stopping.signal.aborted || this.active.size + this.reserved >= this.concurrency) return null;
    const knownSeq = this.logs.knownSeq(sessionId) ?? 0;
    this.reserved += 1;
    let open = true;
    const close = () => {
      if (!open) throw new Error("a claim reservation was already used");
      open = false;
      this.reserved -= 1;
    };
    return {
      claimId: `${this.workerId}#${++this.claims}`,
      leaseMs: this.leaseMs,
      knownSeq,
      adopt: (claim) => {
        close();
        // stopping meanwhile: the session goes back to the queue at once, for another worker
        if (this.stopping.signal.aborted) void this.queue.abandon(claim).catch(() => false);
        else this.context.runInAsyncScope(() => this.drive(claim));
      },
      cancel: close,
    };
  }

  get activeSessions(): number {
    return this.active.size;
  }

  /**
   * Stops the worker: claims nothing more, and asks every wake in flight to stop at its next step
   * (`wake`'s `stopping`): a model call in flight gets up to `graceMs` to finish (its answer is then
   * stored, not paid for twice), a tool call in flight is abandoned at once. After `graceMs` what
   * is still running is aborted. Every session left unfinished has its lease handed back at once
   * (`WorkQueue.abandon`), so another worker continues it from the log without waiting for the
   * lease to run out. Resolves when every wake has ended.
   */
  async stop(graceMs = this.graceMs): Promise<void> {
    this.running = false;
    this.stopping.abort();
    this.notify();
    await this.loop;
    const all = Promise.all([...this.active.values()].map((a) => a.done));
    const timer = setTimeout(() => {
      for (const [, a] of this.active) a.controller.abort(new WakeStoppedError(a.sessionId));
    }, graceMs);
    await all;
    clearTimeout(timer);
  }

  private async claimLoop(): Promise<void> {
    while (this.running) {
      this.notified = false;
      let claimed: TClaim | null = null;
      if (this.active.size + this.reserved < this.concurrency) {
        try {
          // Each claim holds the lease under an id of its own, so that if this worker's lease on a
          // session ran out and it claimed the session again, the earlier run's renewals and fenced
          // appends fail instead of two runs driving one session.
          claimed = await this.queue.claim(`${this.workerId}#${++this.claims}`, this.leaseMs, this.logs.known());
        } catch (error) {
          this.deps.log?.error("claiming work failed", { workerId: this.workerId, error: String(error) });
        }
      }
      if (claimed) {
        // Claimed while `stop` began: the wake stops before its first step and hands the lease back.
        this.drive(claimed);
        // Decision: look again at once only when the claim saw more work queued (`more`). The look
        // that finds nothing would run beside the wake's first append, on the path to the model's
        // first token (on PGlite's one connection, in front of it). Work queued after the claim
        // comes with a `notify` (this process) or is found at the next poll (another process), as
        // it would be had the look come a moment earlier.
        if (claimed.more !== false) continue;
      }
      // Decision: a `notify` that arrived while the claim ran (a message sent just as the periodic
      // look began) found no sleep to cut short; without this check the loop would sleep a whole
      // `pollMs` on work it was told about. It looks again at once instead.
      if (this.notified) continue;
      this.wakeUp = new AbortController();
      await sleep(this.pollMs, this.wakeUp.signal);
    }
  }

  private drive({ snapshot, environment, ...claim }: TClaim): void {
    const controller = new AbortController();
    const key = claim.workerId;
    // what the claim read goes to the wake alone: the claim held for the renewals and the release does not keep it
    const whole = snapshot && this.logs.complete(snapshot);
    const done = this.run(claim, controller, { snapshot: whole, environment }).finally(() => {
      // Decision: a worker that was full has skipped looking for work: a slot is free, it looks now.
      // One that had room has missed nothing (work queued here comes with a notice, work queued
      // elsewhere is found at the next poll, a session released still queued is looked for at
      // once, see `run`), so it does not run a claim that finds nothing after every wake: most
      // wakes now come from the appends themselves (claim-on-wake.ts).
      const wasFull = this.active.size + this.reserved >= this.concurrency;
      this.active.delete(key);
      if (wasFull) this.notify();
    });
    this.active.set(key, { sessionId: claim.sessionId, controller, done });
  }

  /**
   * Drives one claimed session and leaves it in the queue's right state, whatever way the wake
   * ended: done → released (it leaves the queue unless woken meanwhile); stopped → lease handed
   * back, session queued; lease lost → untouched (it is someone else's, or queued with an expired
   * lease); failed → left queued under its lease, whose expiry is the retry's back-off. A session is
   * never dropped from the queue while its work is unfinished.
   */
  private async run(claim: TClaim, controller: AbortController, read: Pick<TWakeOptions, "snapshot" | "environment">): Promise<void> {
    let lost = false;
    const renewal = setInterval(async () => {
      const kept = await this.queue.renew(claim, this.leaseMs).catch(() => false);
      if (!kept) {
        lost = true;
        controller.abort(new LeaseLostError(claim.sessionId, claim.workerId));
      }
    }, Math.max(50, Math.floor(this.leaseMs / 3)));
    renewal.unref?.();
    const fields = { sessionId: claim.sessionId, workerId: this.workerId };
    let outcome: "done" | "stopped" | "lost" | "failed";
    try {
      const { events } = await this.wake(claim.sessionId, this.deps, { leaseOwner: claim.workerId, signal: controller.signal, stopping: this.stopping.signal, ...read });
      if (events) this.logs.remember(claim.sessionId, events);
      outcome = "done";
    } catch (error) {
      if (error instanceof LeaseLostError || lost) outcome = "lost";
      else if (error instanceof WakeStoppedError || this.stopping.signal.aborted) outcome = "stopped";
      else {
        outcome = "failed";
        this.deps.log?.error("session failed in the harness; it stays queued for a retry", {
          ...fields,
          error: error instanceof Error ? error.message : String(error),
        });
      }
    } finally {
      clearInterval(renewal);
    }
    switch (outcome) {
      case "done":
        // still queued: woken after the wake's last look (a message sent as it ended), looked for now
        if (await this.queue.release(claim).catch((error) => void this.deps.log?.warn("releasing a session failed; its lease runs out instead", { ...fields, error: String(error) }))) this.notify();
        break;
      case "stopped": {
        const handedBack = await this.queue.abandon(claim).catch(() => false);
        this.deps.log?.info(handedBack ? "worker stopping: session handed to another worker" : "worker stopping: session left to its lease", fields);
        break;
      }
      case "lost":
        this.deps.log?.warn("lease lost, another worker continues the session", fields);
        break;
      case "failed":
        break;
    }
  }
}
