import type { TStoredEvent } from "@/lib/event-log/events";
import type { SessionStore } from "@/lib/event-log/session-store";
import { InMemoryEventBus, whenSubscribed, type EventBus, type TBusMessage, type TPreview } from "./event-bus";

/** Events per read of the log, by a follower catching up and by the session's shared poll. */
export const FOLLOW_PAGE_SIZE = 500;

export type TFollowSessionOptions = {
  store: Pick<SessionStore, "getEvents">;
  /** The process's event bus. Absent: nothing is published to this follower; the poll alone finds new events. */
  bus?: EventBus;
  /**
   * How often the log is read anyway: the safety net for events whose bus message never came
   * (appended by a process on another bus, or lost while a broker was unreachable). A session has
   * one poll per process, run at the shortest interval its current followers ask for.
   */
  pollMs: number;
  /** Also yield the session's previews (token deltas, never stored). */
  previews?: boolean;
  /** Aborting it ends the iteration, as `break` does. */
  signal?: AbortSignal;
  /**
   * The caller has just read or written the log up to `afterSeq`: the follower starts caught up,
   * without reading the log first, and reads only when the bus shows a gap or the poll comes. What
   * was committed between `afterSeq` and the bus subscription is then found by the next poll, or
   * by the first bus message after it (a gap), rather than at once. For the harness's watch for an
   * interrupt during a model call: its first read would run beside the call on the database
   * connection the call's answer is appended through (PGlite has one), for an interrupt that is
   * all but never there yet.
   */
  startCaughtUp?: boolean;
  pageSize?: number;
};

/**
 * What a follower receives, in this order: the events after `afterSeq` (each seq once, no gap, in
 * seq order, across every `events` item), `caught-up` once the log was first read to its end, and
 * after it the live tail. `deleted` is the last item.
 */
export type TFollowItem =
  | { kind: "events"; events: TStoredEvent[] }
  | { kind: "caught-up"; lastSeq: number }
  | { kind: "preview"; preview: TPreview }
  /** A read of the log failed; the follower tries again on the next poll or bus message. */
  | { kind: "read-failed"; error: unknown }
  /** The session was deleted; the iteration ends after this item. */
  | { kind: "deleted" };

/**
 * The items, in order; `return()` (what `break` calls) stops following. `refresh()` reads the log
 * from the follower's cursor now, as a gap would make it (for a consumer that knows the log holds
 * more than it was given: the bus message is late or lost, and the next poll is far off).
 */
export type TSessionFollow = AsyncIterableIterator<TFollowItem, undefined> & {
  return(): Promise<IteratorResult<TFollowItem, undefined>>;
  refresh(): void;
};

/**
 * Follows a session's log from `afterSeq`: what the log holds after it, then what is committed
 * later, each seq exactly once and in order, whatever the bus does (late, twice, out of order or
 * never). The log is the source of truth; the bus only saves a read.
 *
 * Following starts at once; the items wait in the iterator until they are taken. It ends when the
 * consumer leaves the loop (`break`, `return()`), when `signal` aborts, or after `deleted`.
 *
 * Sharing: every follower of a session in this process (Socket.io viewers, SSE streams, a harness
 * watching for an interrupt) shares one subscription to the bus and one poll of the log, kept in a
 * registry per bus (there is one bus per process): the first follower subscribes, the last one
 * leaving unsubscribes and stops the poll. What the bus delivers and what the poll reads is fanned
 * out to each follower, which passes on what continues its own sequence; a follower that sees a gap
 * (or joins, or failed a read) reads the log itself, from its own cursor. The poll reads once for
 * all, from the lowest cursor of the followers that are caught up, so one that is behind is brought
 * up to date even when the others already have those events.
 */
export function followSession(sessionId: string, afterSeq: number, options: TFollowSessionOptions): TSessionFollow {
  const follower = new Follower(afterSeq, options);
  if (options.signal?.aborted) {
    follower.close();
    return follower;
  }
  const bus = options.bus ?? noBusFor(options.store);
  let sessions = registries.get(bus);
  if (!sessions) registries.set(bus, (sessions = new Map()));
  let shared = sessions.get(sessionId);
  if (!shared) sessions.set(sessionId, (shared = new SharedSubscription(sessions, sessionId, bus, options.store)));
  follower.start(shared);
  return follower;
}

const MAX_TIMER_MS = 2 ** 31 - 1;

/** The shared subscriptions of each bus (so of each process), by session. */
const registries = new WeakMap<EventBus, Map<string, SharedSubscription>>();
/** Followers given no bus share one that nobody publishes on, one per store. */
const noBuses = new WeakMap<object, EventBus>();

function noBusFor(store: object): EventBus {
  let bus = noBuses.get(store);
  if (!bus) noBuses.set(store, (bus = new InMemoryEventBus()));
  return bus;
}

/** One session's bus subscription and poll in this process, shared by its followers. */
class SharedSubscription {
  readonly followers = new Set<Follower>();
  /** Resolves once the bus delivers this process what is published from now on. */
  readonly subscribed: Promise<void>;
  private readonly unsubscribe: () => void;
  private timer: ReturnType<typeof setInterval> | undefined;
  private timerMs = Infinity;
  private polling = false;
  private closed = false;

  constructor(
    private readonly registry: Map<string, SharedSubscription>,
    readonly sessionId: string,
    bus: EventBus,
    readonly store: Pick<SessionStore, "getEvents">,
  ) {
    this.unsubscribe = bus.subscribe(sessionId, (message) => this.onMessage(message));
    this.subscribed = whenSubscribed(bus, sessionId);
  }

  add(follower: Follower): void {
    this.followers.add(follower);
    this.schedulePoll();
  }

  remove(follower: Follower): void {
    if (!this.followers.delete(follower) || this.closed) return;
    if (this.followers.size > 0) return this.schedulePoll();
    this.closed = true;
    if (this.registry.get(this.sessionId) === this) this.registry.delete(this.sessionId);
    clearInterval(this.timer);
    this.unsubscribe();
  }

  /** Polls at the shortest interval the followers ask for. */
  private schedulePoll(): void {
    // setInterval takes at most 2^31 - 1 ms (a longer delay would fire at once)
    const ms = Math.min(...[...this.followers].map((f) => f.pollMs), MAX_TIMER_MS);
    if (ms === this.timerMs) return;
    clearInterval(this.timer);
    this.timerMs = ms;
    this.timer = setInterval(() => void this.poll(), ms);
    this.timer.unref?.();
  }

  private onMessage(message: TBusMessage): void {
    // a copy: a follower may leave (or another join) while the message is handed out
    for (const follower of [...this.followers]) {
      if (message.kind === "events") follower.offer(message.events);
      else if (message.kind === "preview") follower.preview(message.preview);
      else follower.deleted();
    }
  }

  /**
   * Reads the log once for every follower, from the lowest cursor of those that are caught up (the
   * others read for themselves), and hands the events out as a bus message would be.
   */
  private async poll(): Promise<void> {
    if (this.polling || this.closed) return;
    const idle: Follower[] = [];
    for (const follower of [...this.followers]) {
      if (follower.needsRead()) follower.read();
      else if (follower.isIdle()) idle.push(follower);
    }
    if (idle.length === 0) return;
    this.polling = true;
    try {
      let after = Math.min(...idle.map((f) => f.cursor));
      for (;;) {
        const events = await this.store.getEvents(this.sessionId, { afterSeq: after, limit: FOLLOW_PAGE_SIZE });
        if (this.closed) return;
        if (events.length > 0) {
          after = events[events.length - 1]!.seq;
          for (const follower of [...this.followers]) follower.offer(events);
        }
        if (events.length < FOLLOW_PAGE_SIZE) break;
      }
    } catch (error) {
      // told to the followers it read for; the others' own reads report their failures
      if (!this.closed) for (const follower of idle) follower.failed(error);
    } finally {
      this.polling = false;
    }
  }
}

/** One follower: its cursor, its reads of the log, and the items waiting for its consumer. */
class Follower implements TSessionFollow {
  /** The last seq handed to the consumer's queue. */
  cursor: number;
  readonly pollMs: number;
  private readonly wantsPreviews: boolean;
  private readonly pageSize: number;
  private shared: SharedSubscription | undefined;
  private readonly queue: TFollowItem[] = [];
  private waiting: ((result: IteratorResult<TFollowItem, undefined>) => void) | undefined;
  private caughtUp = false;
  private reading = false;
  private readAgain = false;
  /** A gap was seen or a read failed, and no read has run since: the next poll makes it read. */
  private stale = false;
  /** Nothing more will be queued (stopped, deleted); what is queued may still be taken. */
  private ended = false;

  constructor(
    afterSeq: number,
    private readonly options: TFollowSessionOptions,
  ) {
    this.cursor = afterSeq;
    this.pollMs = options.pollMs;
    this.wantsPreviews = options.previews === true;
    this.pageSize = options.pageSize ?? FOLLOW_PAGE_SIZE;
  }

  start(shared: SharedSubscription): void {
    this.shared = shared;
    shared.add(this);
    this.options.signal?.addEventListener("abort", this.close, { once: true });
    if (this.options.startCaughtUp) {
      this.caughtUp = true;
      this.push({ kind: "caught-up", lastSeq: this.cursor });
      return;
    }
    // the subscription is live before the log is read, so nothing committed in between is missed
    this.reading = true;
    shared.subscribed.then(
      () => {
        this.reading = false;
        this.read();
      },
      () => {
        this.reading = false;
        this.read();
      },
    );
  }

  needsRead(): boolean {
    return !this.ended && !this.reading && (this.stale || !this.caughtUp);
  }

  isIdle(): boolean {
    return !this.ended && !this.reading && this.caughtUp && !this.stale;
  }

  /** Events from the bus or the shared poll: what continues the sequence is queued; a gap makes it read the log. */
  offer(events: readonly TStoredEvent[]): void {
    if (this.ended) return;
    if (!this.accept(events) || !this.caughtUp) this.read();
  }

  preview(preview: TPreview): void {
    if (this.wantsPreviews) this.push({ kind: "preview", preview });
  }

  deleted(): void {
    if (this.ended) return;
    this.push({ kind: "deleted" });
    this.end();
  }

  failed(error: unknown): void {
    this.push({ kind: "read-failed", error });
  }

  refresh(): void {
    this.read();
  }

  /** Reads the log after its cursor to the end; a call while a read runs makes it read once more. */
  read(): void {
    if (this.ended) return;
    if (this.reading) {
      this.readAgain = true;
      return;
    }
    this.reading = true;
    this.stale = false;
    void this.readLog().finally(() => (this.reading = false));
  }

  private async readLog(): Promise<void> {
    const { sessionId, store } = this.shared!;
    try {
      do {
        this.readAgain = false;
        for (;;) {
          const events = await store.getEvents(sessionId, { afterSeq: this.cursor, limit: this.pageSize });
          if (this.ended) return;
          this.accept(events);
          if (events.length < this.pageSize) break;
        }
      } while (this.readAgain && !this.ended);
      if (!this.caughtUp && !this.ended) {
        this.caughtUp = true;
        this.push({ kind: "caught-up", lastSeq: this.cursor });
      }
    } catch (error) {
      if (this.ended) return;
      this.stale = true;
      this.failed(error);
    }
  }

  /** Queues the events that continue the sequence; false when a gap was found. */
  private accept(events: readonly TStoredEvent[]): boolean {
    const fresh: TStoredEvent[] = [];
    let gap = false;
    for (const event of [...events].sort((a, b) => a.seq - b.seq)) {
      if (event.seq <= this.cursor) continue;
      if (event.seq !== this.cursor + 1) {
        gap = true;
        break;
      }
      fresh.push(event);
      this.cursor = event.seq;
    }
    if (fresh.length > 0) this.push({ kind: "events", events: fresh });
    if (gap) this.stale = true;
    return !gap;
  }

  private push(item: TFollowItem): void {
    if (this.ended) return;
    const waiting = this.waiting;
    if (!waiting) return void this.queue.push(item);
    this.waiting = undefined;
    waiting({ value: item, done: false });
  }

  /** Takes the next item; adjacent event batches are taken as one. */
  private take(): TFollowItem {
    let item = this.queue.shift()!;
    while (item.kind === "events" && this.queue[0]?.kind === "events") {
      item = { kind: "events", events: [...item.events, ...(this.queue.shift() as { events: TStoredEvent[] }).events] };
    }
    return item;
  }

  /** No more items: leaves the shared subscription (the last follower out unsubscribes). */
  private end(): void {
    if (this.ended) return;
    this.ended = true;
    this.options.signal?.removeEventListener("abort", this.close);
    this.shared?.remove(this);
    const waiting = this.waiting;
    this.waiting = undefined;
    waiting?.({ value: undefined, done: true });
  }

  /** The consumer stopped: what was queued is dropped. */
  readonly close = (): void => {
    this.queue.length = 0;
    this.end();
  };

  next(): Promise<IteratorResult<TFollowItem, undefined>> {
    if (this.queue.length > 0) return Promise.resolve({ value: this.take(), done: false });
    if (this.ended) return Promise.resolve({ value: undefined, done: true });
    if (this.waiting) return Promise.reject(new Error("followSession: next() called again before the previous call settled"));
    return new Promise((resolve) => (this.waiting = resolve));
  }

  return(): Promise<IteratorResult<TFollowItem, undefined>> {
    this.close();
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): TSessionFollow {
    return this;
  }
}
