import "server-only";
import type { Logger } from "@/lib/log";
import { retryDelayMs, type TRetryPolicy } from "./backoff";
import { destinationProblem, type TPrivateAddressPolicy } from "./destination";
import type { TAttemptOutcome, TClaimedDelivery, WebhookOutbox } from "./outbox";
import { postDelivery } from "./post-delivery";

export type TDispatcherOptions = {
  outbox: WebhookOutbox;
  /** Opens an endpoint's sealed signing secret (the vault cipher, bound to the endpoint's id). */
  openSecret: (delivery: TClaimedDelivery) => string;
  owner: string;
  log: Logger;
  retry: TRetryPolicy;
  /** The limit of one attempt (WEBHOOKS_TIMEOUT_MS). */
  timeoutMs: number;
  /** How long the outbox is left alone when nothing was due (WEBHOOKS_POLL_MS). */
  pollMs: number;
  privateAddresses: TPrivateAddressPolicy;
  /** Deliveries attempted at once by this process. */
  batch?: number;
  fetch?: typeof fetch;
};

/**
 * Drains the webhook outbox, off every request's and session's path: claims due deliveries with a
 * lease (so several processes deliver each one once), posts them at once (`batch` in flight, each
 * bounded by `timeoutMs`: a slow or dead endpoint holds one slot for that long, never a session),
 * and records each attempt with its retry time. Started by the server and by `npm run worker`.
 */
export class WebhookDispatcher {
  #running = false;
  #loop: Promise<void> | null = null;
  #wakeUp: (() => void) | null = null;
  readonly #inFlight = new Set<Promise<void>>();
  readonly #stopping = new AbortController();

  constructor(private readonly options: TDispatcherOptions) {}

  get #batch(): number {
    return this.options.batch ?? 10;
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#loop = this.#run();
  }

  /**
   * Stops claiming, gives the attempts in flight `graceMs` to be answered, then aborts the rest
   * (each is recorded as a failed attempt, retried later by whichever process is running then).
   * Resolves when every attempt has been recorded.
   */
  async stop(graceMs = 1_000): Promise<void> {
    this.#running = false;
    this.#wakeUp?.();
    await this.#loop;
    const settled = Promise.all(this.#inFlight);
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)));
    await Promise.race([settled, grace]);
    clearTimeout(timer);
    this.#stopping.abort();
    await settled;
  }

  /** Looks at the outbox now rather than at the next poll. */
  notify(): void {
    this.#wakeUp?.();
  }

  /** One round, awaited whole (tests): claims what is due and attempts it. Returns how many deliveries were attempted. */
  async tick(): Promise<number> {
    const claimed = await this.#claim(this.#batch);
    await Promise.all(claimed.map((delivery) => this.#attempt(delivery)));
    return claimed.length;
  }

  #claim(limit: number): Promise<TClaimedDelivery[]> {
    return this.options.outbox.claim({ owner: this.options.owner, limit, leaseMs: this.options.timeoutMs + 30_000 });
  }

  /**
   * Fills the free slots with due deliveries, without waiting for them: an endpoint that does not
   * answer holds its slot until the timeout, never the others. Returns whether every slot was filled.
   */
  async #fill(): Promise<boolean> {
    const free = this.#batch - this.#inFlight.size;
    if (free <= 0) return false;
    const claimed = await this.#claim(free);
    for (const delivery of claimed) {
      const attempt: Promise<void> = this.#attempt(delivery).finally(() => {
        this.#inFlight.delete(attempt);
        this.#wakeUp?.();
      });
      this.#inFlight.add(attempt);
    }
    return claimed.length === free;
  }

  async #attempt(delivery: TClaimedDelivery): Promise<void> {
    const { log, retry } = this.options;
    const outcome = await this.#post(delivery);
    const attempts = delivery.attempts + 1;
    const retryInMs = outcome.ok ? null : retryDelayMs(attempts, retry);
    const fields = { deliveryId: delivery.id, endpointId: delivery.endpointId, eventType: delivery.eventType, attempts, status: outcome.responseStatus };
    let recorded: boolean;
    try {
      recorded = await this.options.outbox.record({ id: delivery.id, owner: this.options.owner, outcome, retryInMs });
    } catch (error) {
      // the lease runs out and the delivery is attempted again: at least once, never lost
      log.warn("webhook attempt could not be recorded", { ...fields, error: error instanceof Error ? error.message : String(error) });
      return;
    }
    if (!recorded) log.warn("webhook attempt not recorded: the lease was lost", fields);
    else if (outcome.ok) log.debug("webhook delivered", fields);
    else log.info(retryInMs === null ? "webhook delivery failed for good" : "webhook attempt failed", { ...fields, error: outcome.error, retryInMs });
  }

  async #post(delivery: TClaimedDelivery): Promise<TAttemptOutcome> {
    try {
      const problem = await destinationProblem(new URL(delivery.url), this.options.privateAddresses);
      if (problem) return { ok: false, responseStatus: null, responseBody: null, error: `not sent: the URL ${problem}` };
      return await postDelivery(delivery, { secret: this.options.openSecret(delivery), timeoutMs: this.options.timeoutMs, signal: this.#stopping.signal, fetch: this.options.fetch });
    } catch (error) {
      // a secret that does not open (a missing vault key) is a failed attempt, retried later
      return { ok: false, responseStatus: null, responseBody: null, error: `not sent: ${error instanceof Error ? error.message : String(error)}` };
    }
  }

  async #run(): Promise<void> {
    while (this.#running) {
      let full = false;
      try {
        full = await this.#fill();
      } catch (error) {
        this.options.log.warn("webhook outbox could not be read", { error: error instanceof Error ? error.message : String(error) });
      }
      if (!this.#running) break;
      // all slots filled: more may be due, look again when one frees (or at the next poll)
      if (!full || this.#inFlight.size >= this.#batch) await this.#sleep(this.options.pollMs);
    }
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      timer.unref?.();
      const wake = () => done();
      this.#wakeUp = wake;
      function done() {
        clearTimeout(timer);
        resolve();
      }
    });
  }
}
