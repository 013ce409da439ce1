import { afterEach, describe, expect, it, vi } from "vitest";
import { InMemoryEventBus, type EventBus, type TBusMessage } from "@/lib/realtime/event-bus";
import { FOLLOW_PAGE_SIZE, followSession, type TFollowItem, type TSessionFollow } from "@/lib/realtime/follow-session";
import type { TStoredEvent } from "@/lib/event-log/events";
import { InMemorySessionStore } from "@/lib/event-log/in-memory-session-store";
import { withPublishing } from "@/lib/realtime/publishing-session-store";
import type { SessionStore, TEventQuery } from "@/lib/event-log/session-store";
import { agentMessage, createTestSession, IN_MEMORY_PREREQS, userMessage } from "@/tests/fixtures/seed";

/** A bus whose messages the test hands over itself: late, twice, out of order or never. */
class ManualBus implements EventBus {
  readonly held: Array<{ sessionId: string; message: TBusMessage }> = [];
  private readonly inner = new InMemoryEventBus();
  publish(sessionId: string, message: TBusMessage): void {
    this.held.push({ sessionId, message });
  }
  subscribe(sessionId: string, listener: (message: TBusMessage) => void) {
    return this.inner.subscribe(sessionId, listener);
  }
  deliver(index: number): void {
    const { sessionId, message } = this.held[index]!;
    this.inner.publish(sessionId, message);
  }
  /** Hands over a message the test makes up (a duplicate, a batch split differently). */
  send(sessionId: string, message: TBusMessage): void {
    this.inner.publish(sessionId, message);
  }
}

/** Counts the subscriptions made on the bus it wraps, and those still open. */
class CountingBus implements EventBus {
  subscribes = 0;
  open = 0;
  constructor(private readonly inner: EventBus) {}
  publish(sessionId: string, message: TBusMessage): void {
    this.inner.publish(sessionId, message);
  }
  subscribe(sessionId: string, listener: (message: TBusMessage) => void) {
    this.subscribes += 1;
    this.open += 1;
    const unsubscribe = this.inner.subscribe(sessionId, listener);
    return () => {
      this.open -= 1;
      unsubscribe();
    };
  }
}

/** A store whose reads are counted and can be made to fail. */
function countingStore(store: SessionStore) {
  const counted = {
    reads: 0,
    failing: false,
    getEvents(sessionId: string, query?: TEventQuery) {
      counted.reads += 1;
      if (counted.failing) return Promise.reject(new Error("database unreachable"));
      return store.getEvents(sessionId, query);
    },
  };
  return counted;
}

const NEVER = 3_600_000;
const controllers: AbortController[] = [];
afterEach(() => {
  controllers.splice(0).forEach((c) => c.abort());
  vi.useRealTimers();
});

/** Takes every item of `follow` as it comes. */
function consume(follow: TSessionFollow) {
  const items: TFollowItem[] = [];
  const received: TStoredEvent[] = [];
  const done = (async () => {
    for await (const item of follow) {
      items.push(item);
      if (item.kind === "events") received.push(...item.events);
    }
  })();
  const caughtUp = () => items.find((i): i is Extract<TFollowItem, { kind: "caught-up" }> => i.kind === "caught-up");
  return { items, received, done, caughtUp };
}

async function setup(options: { bus?: EventBus } = {}) {
  const bus = options.bus ?? new InMemoryEventBus();
  const base = new InMemorySessionStore();
  const store = withPublishing(base, bus);
  const reading = countingStore(store);
  const sessionId = await createTestSession(store, IN_MEMORY_PREREQS);
  const follow = (afterSeq: number, more: { pollMs?: number; pageSize?: number; previews?: boolean; bus?: EventBus | null } = {}) => {
    const controller = new AbortController();
    controllers.push(controller);
    const follower = followSession(sessionId, afterSeq, {
      store: reading,
      bus: more.bus === null ? undefined : (more.bus ?? bus),
      pollMs: more.pollMs ?? NEVER,
      pageSize: more.pageSize,
      previews: more.previews,
      signal: controller.signal,
    });
    return { ...consume(follower), stop: () => controller.abort() };
  };
  const append = (count: number, label = "m") =>
    store.appendEvents(sessionId, Array.from({ length: count }, (_, i) => agentMessage(`${label}${i}`)));
  return { bus, store, reading, sessionId, follow, append };
}

const seqs = (events: TStoredEvent[]) => events.map((e) => e.seq);
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
/** Lets every promise already settled run its reactions (one turn of the event loop; no timer). */
const settle = () => new Promise((resolve) => setImmediate(resolve));
const until = (check: () => boolean) => vi.waitFor(() => expect(check()).toBe(true), { timeout: 5_000, interval: 2 });

describe("followSession", () => {
  it("sends what the log holds after afterSeq, in pages, then live events, each once", async () => {
    const t = await setup();
    await t.append(7);
    const f = t.follow(3, { pageSize: 2 });
    await until(() => f.caughtUp() !== undefined);
    expect(seqs(f.received)).toEqual([4, 5, 6, 7]);
    expect(f.caughtUp()!.lastSeq).toBe(7);
    await t.append(2);
    await t.store.appendEvents(t.sessionId, [userMessage("hi")]);
    await until(() => f.received.length === 7);
    expect(seqs(f.received)).toEqual(range(4, 10));
  });

  it("reads the log at once when told it holds more (refresh), without waiting for a bus message or the poll", async () => {
    const bus = new ManualBus();
    const t = await setup({ bus });
    const controller = new AbortController();
    controllers.push(controller);
    const follower = followSession(t.sessionId, 0, { store: t.reading, bus, pollMs: NEVER, signal: controller.signal });
    const f = consume(follower);
    await until(() => f.caughtUp() !== undefined);
    await t.append(2); // their bus message is never delivered
    await settle();
    expect(f.received).toEqual([]);
    follower.refresh();
    await until(() => f.received.length === 2);
    expect(seqs(f.received)).toEqual([1, 2]);
  });

  it("fills a gap from the log when a bus message is missing, and ignores the late one", async () => {
    const bus = new ManualBus();
    const t = await setup({ bus });
    const f = t.follow(0);
    await until(() => f.caughtUp() !== undefined);
    await t.append(1); // seq 1 — its message is never delivered
    await t.append(1); // seq 2
    await t.append(1); // seq 3
    bus.deliver(2); // seq 3 arrives first: a gap, so the log is read
    await until(() => f.received.length === 3);
    expect(seqs(f.received)).toEqual([1, 2, 3]);
    bus.deliver(1);
    bus.deliver(0);
    bus.deliver(2);
    await t.append(1); // seq 4
    bus.deliver(3);
    await until(() => f.received.length >= 4);
    await settle();
    expect(seqs(f.received)).toEqual([1, 2, 3, 4]);
  });

  it("passes a batch on at once when it continues the sequence, without reading the log", async () => {
    const bus = new ManualBus();
    const t = await setup({ bus });
    await t.append(2);
    const f = t.follow(0);
    await until(() => f.caughtUp() !== undefined);
    await t.append(3); // seqs 3..5
    const readsBefore = t.reading.reads;
    bus.deliver(1);
    await until(() => f.received.length === 5);
    expect(seqs(f.received)).toEqual([1, 2, 3, 4, 5]);
    expect(t.reading.reads).toBe(readsBefore); // no log read needed
  });

  it("reads the log on its poll when the bus never delivers", async () => {
    const bus = new ManualBus();
    const t = await setup({ bus });
    const f = t.follow(0, { pollMs: 20 });
    await t.append(3);
    await until(() => f.received.length === 3);
    expect(seqs(f.received)).toEqual([1, 2, 3]);
  });

  it("starts caught up when told to: no read at first, live events passed on, what came before the subscription found by the poll", async () => {
    const bus = new ManualBus();
    const t = await setup({ bus });
    await t.append(2);
    const controller = new AbortController();
    controllers.push(controller);
    await t.append(1); // seq 3, committed after the caller's own read (up to 2) and before the follower subscribed
    const readsBefore = t.reading.reads;
    const f = consume(followSession(t.sessionId, 2, { store: t.reading, bus, pollMs: 40, signal: controller.signal, startCaughtUp: true }));
    await settle();
    expect(f.caughtUp()?.lastSeq).toBe(2);
    expect(t.reading.reads).toBe(readsBefore); // no read on joining
    await until(() => f.received.length === 1); // the poll finds seq 3
    expect(seqs(f.received)).toEqual([3]);
    await t.append(1); // seq 4, its bus message continues the sequence
    bus.deliver(bus.held.length - 1);
    await until(() => f.received.length === 2);
    expect(seqs(f.received)).toEqual([3, 4]);
  });

  it("misses nothing committed while the first catch-up runs", async () => {
    const t = await setup();
    await t.append(5);
    const f = t.follow(0, { pageSize: 2 });
    await t.append(3);
    await until(() => f.caughtUp() !== undefined);
    await t.append(1);
    await until(() => f.received.length === 9);
    expect(seqs(f.received)).toEqual(range(1, 9));
  });

  it("passes previews on (to followers that ask for them) and ends on deletion", async () => {
    const t = await setup();
    const f = t.follow(0, { previews: true });
    const quiet = t.follow(0);
    await until(() => f.caughtUp() !== undefined && quiet.caughtUp() !== undefined);
    const preview = { type: "event_start", event: { type: "agent.message", id: "sevt_x" } } as const;
    t.bus.publish(t.sessionId, { kind: "preview", preview });
    t.bus.publish(t.sessionId, { kind: "deleted" });
    await t.append(1);
    await f.done; // the iteration ends after `deleted`
    await quiet.done;
    expect(f.items.filter((i) => i.kind !== "caught-up")).toEqual([{ kind: "preview", preview }, { kind: "deleted" }]);
    expect(quiet.items.filter((i) => i.kind !== "caught-up")).toEqual([{ kind: "deleted" }]);
    expect(f.received).toEqual([]);
  });

  it("sends nothing after stop", async () => {
    const t = await setup();
    const f = t.follow(0);
    await t.append(1);
    await until(() => f.received.length === 1);
    f.stop();
    await f.done;
    await t.append(1);
    await settle();
    expect(seqs(f.received)).toEqual([1]);
  });

  it("is gapless and ordered however the bus misbehaves: out of order, twice, split, or never", async () => {
    const bus = new ManualBus();
    const t = await setup({ bus });
    const early = t.follow(0);
    await until(() => early.caughtUp() !== undefined);
    for (let i = 0; i < 30; i++) await t.append(1 + (i % 3), `b${i}`); // 60 events in 30 appends
    const late = t.follow(17); // joins in the middle, from its own cursor
    const order = [5, 3, 3, 0, 29, 1, 2, 2, 14, 7, 6, 8, 28, 27]; // late, repeated; the rest never come
    for (const index of order) bus.deliver(index);
    const all = await t.store.getEvents(t.sessionId, { limit: 1_000 });
    bus.send(t.sessionId, { kind: "events", events: [all[40]!, all[39]!, all[41]!] }); // a batch out of order
    bus.send(t.sessionId, { kind: "events", events: all.slice(0, 20) }); // old news, twice over
    await until(() => early.received.length === all.length && late.received.length === all.length - 17);
    await settle();
    expect(seqs(early.received)).toEqual(range(1, all.length));
    expect(seqs(late.received)).toEqual(range(18, all.length));
    expect(early.received.map((e) => e.id)).toEqual(all.map((e) => e.id));
  });

  it("shares one bus subscription among every follower of a session, and drops it when the last one leaves", async () => {
    const bus = new CountingBus(new InMemoryEventBus());
    const t = await setup({ bus });
    const other = await createTestSession(t.store, IN_MEMORY_PREREQS);
    const followers = [t.follow(0), t.follow(0, { previews: true }), t.follow(0, { pollMs: 50 })];
    const elsewhere = followSession(other, 0, { store: t.reading, bus, pollMs: NEVER });
    expect(bus.subscribes).toBe(2); // one per session, not one per follower
    await until(() => followers.every((f) => f.caughtUp() !== undefined));
    await t.append(3);
    await until(() => followers.every((f) => f.received.length === 3));

    followers[0]!.stop();
    followers[1]!.stop();
    await Promise.all([followers[0]!.done, followers[1]!.done]);
    expect(bus.open).toBe(2); // one follower of the session is left
    await elsewhere.return();
    expect(bus.open).toBe(1);
    followers[2]!.stop();
    await followers[2]!.done;
    expect(bus.open).toBe(0);

    const again = t.follow(0);
    expect(bus.subscribes).toBe(3); // a new follower subscribes afresh
    await until(() => again.caughtUp() !== undefined);
    expect(seqs(again.received)).toEqual([1, 2, 3]);
  });

  it("polls the log once per interval for all of a session's followers, at the shortest interval asked", async () => {
    vi.useFakeTimers();
    const bus = new ManualBus(); // delivers nothing: only the poll finds new events
    const t = await setup({ bus });
    const slow = [t.follow(0, { pollMs: 1_000 }), t.follow(0, { pollMs: 1_000 }), t.follow(0, { pollMs: 1_000 })];
    const fast = t.follow(0, { pollMs: 200 });
    const all = [...slow, fast];
    await vi.advanceTimersByTimeAsync(0);
    expect(all.every((f) => f.caughtUp() !== undefined)).toBe(true); // each read the log once to catch up
    await t.append(2);

    t.reading.reads = 0;
    await vi.advanceTimersByTimeAsync(200);
    expect(t.reading.reads).toBe(1); // one read for four followers
    expect(all.every((f) => f.received.length === 2)).toBe(true);

    fast.stop();
    await t.append(1);
    t.reading.reads = 0;
    await vi.advanceTimersByTimeAsync(999);
    expect(t.reading.reads).toBe(0); // back to the slowest interval left
    await vi.advanceTimersByTimeAsync(1);
    expect(t.reading.reads).toBe(1);
    expect(slow.every((f) => seqs(f.received).join() === "1,2,3")).toBe(true);

    slow.forEach((f) => f.stop());
    await t.append(1);
    t.reading.reads = 0;
    await vi.advanceTimersByTimeAsync(5_000);
    expect(t.reading.reads).toBe(0); // the last one out stopped the poll
  });

  it("brings a follower that is behind up to date even when another one, ahead of it, has what the poll would find", async () => {
    vi.useFakeTimers();
    const bus = new ManualBus();
    const t = await setup({ bus });
    const behind = t.follow(0, { pollMs: 100 });
    await vi.advanceTimersByTimeAsync(0);
    await t.append(4); // the bus never says so
    const ahead = t.follow(4, { pollMs: 100 }); // e.g. a viewer rejoining with the last seq it has
    await vi.advanceTimersByTimeAsync(0);
    expect(ahead.caughtUp()?.lastSeq).toBe(4);
    await vi.advanceTimersByTimeAsync(100);
    expect(seqs(behind.received)).toEqual([1, 2, 3, 4]);
    expect(ahead.received).toEqual([]);
  });

  it("follows with no bus at all, through the poll", async () => {
    const t = await setup();
    const f = t.follow(0, { pollMs: 10, bus: null });
    await until(() => f.caughtUp() !== undefined);
    await t.append(2);
    await until(() => f.received.length === 2);
    expect(seqs(f.received)).toEqual([1, 2]);
  });

  it("tells the consumer when a read fails, and reads again on the next poll", async () => {
    vi.useFakeTimers();
    const bus = new ManualBus();
    const t = await setup({ bus });
    t.reading.failing = true;
    const f = t.follow(0, { pollMs: 100 });
    await vi.advanceTimersByTimeAsync(0);
    expect(f.items.map((i) => i.kind)).toEqual(["read-failed"]); // the first catch-up failed: not caught up
    await t.append(2);
    t.reading.failing = false;
    await vi.advanceTimersByTimeAsync(100);
    expect(f.items.map((i) => i.kind)).toEqual(["read-failed", "events", "caught-up"]);
    expect(seqs(f.received)).toEqual([1, 2]);

    t.reading.failing = true;
    await t.append(1);
    await vi.advanceTimersByTimeAsync(100); // the shared poll fails
    expect(f.items.at(-1)?.kind).toBe("read-failed");
    t.reading.failing = false;
    await vi.advanceTimersByTimeAsync(100);
    expect(seqs(f.received)).toEqual([1, 2, 3]);
  });

  it("ends when the signal aborts while the consumer waits, and when it breaks out of the loop", async () => {
    const bus = new CountingBus(new InMemoryEventBus());
    const t = await setup({ bus });
    const controller = new AbortController();
    const waiting = followSession(t.sessionId, 0, { store: t.reading, bus, pollMs: NEVER, signal: controller.signal });
    expect(await waiting.next()).toEqual({ value: { kind: "caught-up", lastSeq: 0 }, done: false });
    const pending = waiting.next(); // nothing to give: it waits
    controller.abort();
    expect(await pending).toEqual({ value: undefined, done: true });
    expect(bus.open).toBe(0);

    const breaking = followSession(t.sessionId, 0, { store: t.reading, bus, pollMs: NEVER });
    await t.append(1);
    for await (const item of breaking) if (item.kind === "events") break;
    expect(bus.open).toBe(0);
    expect(await breaking.next()).toEqual({ value: undefined, done: true });

    const aborted = new AbortController();
    aborted.abort();
    const never = followSession(t.sessionId, 0, { store: t.reading, bus, pollMs: NEVER, signal: aborted.signal });
    expect(await never.next()).toEqual({ value: undefined, done: true });
    expect(bus.subscribes).toBe(2); // an aborted signal never subscribes
  });

  it("reads a long log in pages of its page size", async () => {
    const t = await setup();
    await t.append(FOLLOW_PAGE_SIZE);
    await t.append(3);
    const f = t.follow(0);
    await until(() => f.caughtUp() !== undefined);
    expect(seqs(f.received)).toEqual(range(1, FOLLOW_PAGE_SIZE + 3));
  });
});
