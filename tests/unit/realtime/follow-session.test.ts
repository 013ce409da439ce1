import { afterEach, describe, expect, it } from "vitest";
import { InMemoryEventBus, type EventBus, type TBusMessage } from "@/lib/realtime/event-bus";
import { followSession, type TFollow } from "@/lib/realtime/follow-session";
import type { TStoredEvent } from "@/lib/session/events";
import { InMemorySessionStore } from "@/lib/session/in-memory-session-store";
import { withPublishing } from "@/lib/session/publishing-session-store";
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
}

const NEVER = 3_600_000;
const follows: TFollow[] = [];
afterEach(() => follows.splice(0).forEach((f) => f.stop()));

async function setup(options: { bus?: EventBus } = {}) {
  const bus = options.bus ?? new InMemoryEventBus();
  const base = new InMemorySessionStore();
  const store = withPublishing(base, bus);
  const sessionId = await createTestSession(store, IN_MEMORY_PREREQS);
  const received: TStoredEvent[] = [];
  const previews: unknown[] = [];
  let deleted = 0;
  const follow = (afterSeq: number, pollMs = NEVER, pageSize?: number) =>
    followSession({
      store,
      bus,
      sessionId,
      afterSeq,
      pollMs,
      pageSize,
      onEvents: (events) => received.push(...events),
      onPreview: (p) => previews.push(p),
      onDeleted: () => (deleted += 1),
    }).then((f) => (follows.push(f), f));
  const append = (count: number, label = "m") =>
    store.appendEvents(sessionId, Array.from({ length: count }, (_, i) => agentMessage(`${label}${i}`)));
  return { bus, store, sessionId, received, previews, follow, append, deleted: () => deleted };
}

const seqs = (events: TStoredEvent[]) => events.map((e) => e.seq);
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
const tick = () => new Promise((r) => setTimeout(r, 10));

describe("followSession", () => {
  it("sends what the log holds after afterSeq, in pages, then live events, each once", async () => {
    const t = await setup();
    await t.append(7);
    const follow = await t.follow(3, NEVER, 2);
    expect(seqs(t.received)).toEqual([4, 5, 6, 7]);
    expect(follow.lastSeq()).toBe(7);
    await t.append(2);
    await t.store.appendEvents(t.sessionId, [userMessage("hi")]);
    expect(seqs(t.received)).toEqual(range(4, 10));
  });

  it("fills a gap from the log when a bus message is missing, and ignores the late one", async () => {
    const bus = new ManualBus();
    const t = await setup({ bus });
    await t.follow(0);
    await t.append(1); // seq 1 — its message is never delivered
    await t.append(1); // seq 2
    await t.append(1); // seq 3
    bus.deliver(2); // seq 3 arrives first: a gap, so the log is read
    await tick();
    expect(seqs(t.received)).toEqual([1, 2, 3]);
    bus.deliver(1);
    bus.deliver(0);
    bus.deliver(2);
    await t.append(1); // seq 4
    bus.deliver(3);
    expect(seqs(t.received)).toEqual([1, 2, 3, 4]);
  });

  it("passes a batch on at once when it continues the sequence", async () => {
    const bus = new ManualBus();
    const t = await setup({ bus });
    await t.append(2);
    await t.follow(0);
    await t.append(3); // seqs 3..5
    bus.deliver(1);
    expect(seqs(t.received)).toEqual([1, 2, 3, 4, 5]); // synchronously, no log read needed
  });

  it("reads the log on its poll when the bus never delivers", async () => {
    const bus = new ManualBus();
    const t = await setup({ bus });
    await t.follow(0, 20);
    await t.append(3);
    await new Promise((r) => setTimeout(r, 80));
    expect(seqs(t.received)).toEqual([1, 2, 3]);
  });

  it("misses nothing committed while the first catch-up runs", async () => {
    const t = await setup();
    await t.append(5);
    const following = t.follow(0, NEVER, 2);
    await t.append(3);
    await following;
    await tick();
    await t.append(1);
    expect(seqs(t.received)).toEqual(range(1, 9));
  });

  it("passes previews on and stops on deletion", async () => {
    const t = await setup();
    await t.follow(0);
    const preview = { type: "event_start", event: { type: "agent.message", id: "sevt_x" } } as const;
    t.bus.publish(t.sessionId, { kind: "preview", preview });
    t.bus.publish(t.sessionId, { kind: "deleted" });
    await t.append(1);
    expect(t.previews).toEqual([preview]);
    expect(t.deleted()).toBe(1);
    expect(t.received).toEqual([]);
  });

  it("sends nothing after stop", async () => {
    const t = await setup();
    const follow = await t.follow(0);
    await t.append(1);
    follow.stop();
    await t.append(1);
    expect(seqs(t.received)).toEqual([1]);
  });
});
