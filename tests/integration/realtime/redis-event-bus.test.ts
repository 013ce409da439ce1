import { createClient } from "redis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encodeEnvelope } from "@/lib/realtime/bus-envelope";
import type { TBusMessage } from "@/lib/realtime/event-bus";
import { createLogger } from "@/lib/log";
import { createEventBus } from "@/lib/realtime/create-event-bus";
import { InMemoryEventBus } from "@/lib/realtime/event-bus";
import { RedisEventBus } from "@/lib/realtime/redis-event-bus";
import type { TStoredEvent } from "@/lib/event-log/events";
import { requireRedis, TEST_REDIS_URL, uniquePrefix } from "@/tests/fixtures/redis";
import { quietLog, range, settle, waitFor } from "./realtime-helpers";

const available = await requireRedis("the RedisEventBus suite");

const stored = (seq: number): TStoredEvent => ({
  id: `sevt_${seq}`,
  sessionId: "sesn_bus",
  seq,
  processedAt: null,
  createdAt: new Date(0).toISOString(),
  body: { type: "agent.message", content: [{ type: "text", text: `m${seq}` }] },
});

describe.runIf(available)("RedisEventBus", () => {
  const prefix = uniquePrefix("bus");
  const warnings: string[] = [];
  const log = createLogger({ level: "warn", write: (_, line) => warnings.push(line) });
  let web: RedisEventBus;
  let worker: RedisEventBus;
  let raw: ReturnType<typeof createClient>;

  beforeAll(async () => {
    web = await RedisEventBus.connect({ url: TEST_REDIS_URL, log, channelPrefix: prefix });
    worker = await RedisEventBus.connect({ url: TEST_REDIS_URL, log: quietLog, channelPrefix: prefix });
    raw = createClient({ url: TEST_REDIS_URL });
    await raw.connect();
  });

  afterAll(async () => {
    await web?.close();
    await worker?.close();
    if (raw?.isOpen) await raw.close();
  });

  const collect = (bus: RedisEventBus, sessionId: string) => {
    const messages: TBusMessage[] = [];
    const unsubscribe = bus.subscribe(sessionId, (m) => messages.push(m));
    return { messages, unsubscribe, ready: bus.whenSubscribed(sessionId) };
  };
  const seqsOf = (messages: TBusMessage[]) => messages.flatMap((m) => (m.kind === "events" ? m.events.map((e) => e.seq) : []));

  it("delivers what one process publishes to the others, in order, and to its own subscribers once", async () => {
    const remote = collect(web, "sesn_order");
    const own = collect(worker, "sesn_order");
    await Promise.all([remote.ready, own.ready]);
    for (const seq of range(1, 200)) worker.publish("sesn_order", { kind: "events", events: [{ ...stored(seq), sessionId: "sesn_order" }] });
    expect(seqsOf(own.messages)).toEqual(range(1, 200)); // at once, in this process
    await waitFor("the remote subscriber", () => remote.messages.length === 200);
    await settle(200);
    expect(seqsOf(remote.messages)).toEqual(range(1, 200));
    expect(seqsOf(own.messages)).toEqual(range(1, 200)); // its own echo was ignored
    remote.unsubscribe();
    own.unsubscribe();
  });

  it("carries previews and deletions, and only to the session's subscribers", async () => {
    const mine = collect(web, "sesn_a");
    const other = collect(web, "sesn_b");
    await Promise.all([mine.ready, other.ready]);
    const preview = { type: "event_start", event: { type: "agent.message", id: "sevt_p" } } as const;
    worker.publish("sesn_a", { kind: "preview", preview });
    worker.publish("sesn_a", { kind: "deleted" });
    await waitFor("both messages", () => mine.messages.length === 2);
    await settle(100);
    expect(mine.messages).toEqual([{ kind: "preview", preview }, { kind: "deleted" }]);
    expect(other.messages).toEqual([]);
    mine.unsubscribe();
    other.unsubscribe();
  });

  it("drops malformed messages with a warning and keeps delivering", async () => {
    const sub = collect(web, "sesn_bad");
    await sub.ready;
    const channel = web.channelOf("sesn_bad");
    await raw.publish(channel, "{not json");
    await raw.publish(channel, JSON.stringify({ v: 1, origin: "x", sessionId: "sesn_bad", message: { kind: "events", events: [{ seq: "one" }] } }));
    await raw.publish(channel, encodeEnvelope({ v: 1, origin: "x", sessionId: "sesn_other", message: { kind: "deleted" } }));
    await raw.publish(channel, encodeEnvelope({ v: 1, origin: "x", sessionId: "sesn_bad", message: { kind: "events", events: [{ ...stored(1), sessionId: "sesn_bad" }] } }));
    await waitFor("the valid message", () => sub.messages.length === 1);
    expect(seqsOf(sub.messages)).toEqual([1]);
    expect(warnings.some((w) => w.includes("event bus dropped a malformed message"))).toBe(true);
    sub.unsubscribe();
  });

  it("stops delivering to a process once its last subscriber of the session is gone", async () => {
    const first = collect(web, "sesn_gone");
    const second = collect(web, "sesn_gone");
    await first.ready;
    first.unsubscribe();
    worker.publish("sesn_gone", { kind: "deleted" });
    await waitFor("the remaining subscriber", () => second.messages.length === 1);
    second.unsubscribe();
    worker.publish("sesn_gone", { kind: "deleted" });
    await settle(200);
    expect(first.messages).toEqual([]);
    expect(second.messages).toHaveLength(1);
    expect(await raw.sendCommand(["PUBSUB", "NUMSUB", web.channelOf("sesn_gone")])).toEqual([web.channelOf("sesn_gone"), 0]);
  });

  it("is what createEventBus returns when REDIS_URL is set, and the in-memory bus otherwise", async () => {
    const bus = await createEventBus({ REDIS_URL: TEST_REDIS_URL }, quietLog);
    expect(bus).toBeInstanceOf(RedisEventBus);
    await bus.close();
    expect(await createEventBus({ REDIS_URL: undefined }, quietLog)).toBeInstanceOf(InMemoryEventBus);
  });

  it("fails at start-up, naming REDIS_URL, when Redis cannot be reached", async () => {
    await expect(createEventBus({ REDIS_URL: "redis://127.0.0.1:1" }, quietLog)).rejects.toThrow(/cannot connect to Redis at 127\.0\.0\.1:1 \(REDIS_URL\)/);
  });
});
