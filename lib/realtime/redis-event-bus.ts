import { randomUUID } from "node:crypto";
import type { Logger } from "@/lib/log";
import { decodeEnvelope, encodeEnvelope } from "./bus-envelope";
import { InMemoryEventBus, type EventBus, type TBusMessage } from "./event-bus";
import { connectRedisPair, type TRedisPair } from "./redis-clients";

export const DEFAULT_CHANNEL_PREFIX = "oma:session:";
/** How long `whenSubscribed` waits for Redis before letting the caller go on (and poll the log). */
const SUBSCRIBE_WAIT_MS = 2_000;
/** A malformed message is logged at most this often. */
const DROP_LOG_INTERVAL_MS = 10_000;

/**
 * An EventBus shared by every process connected to one Redis server (web servers and
 * `npm run worker` processes alike), over Redis pub/sub with one channel per session.
 *
 * Delivery: a message is handed to this process's subscribers at once, synchronously, exactly as
 * `InMemoryEventBus` does, and published to the session's channel; each bus ignores the echo of
 * its own messages by its instance id. So a Redis outage never delays or loses what happens in
 * the same process (a harness still sees an interrupt sent through its own process at once).
 *
 * Order: one connection publishes everything a process publishes and Redis delivers a channel's
 * messages in the order they were published, so a session's events from one process arrive in
 * the order that process published them. Messages from different processes, or lost while Redis
 * was unreachable (pub/sub delivers at most once), can arrive out of order or not at all:
 * subscribers send by `seq` and fill gaps from the log, so that costs a read, never a duplicate.
 *
 * Every message received is parsed with zod; a malformed one is dropped with a warning.
 * A process subscribes to a session's channel only while it has a subscriber for that session.
 */
export class RedisEventBus implements EventBus {
  /** Tells this bus's own messages apart when Redis echoes them back. */
  readonly instanceId = randomUUID();
  private readonly local = new InMemoryEventBus();
  private readonly channels = new Map<string, { count: number; ready: Promise<void> }>();
  private readonly prefix: string;
  private readonly log: Logger;
  private closed = false;
  private lastDropLoggedAt = 0;

  constructor(
    private readonly redis: TRedisPair,
    options: { log: Logger; channelPrefix?: string },
  ) {
    this.prefix = options.channelPrefix ?? DEFAULT_CHANNEL_PREFIX;
    this.log = options.log.child({ component: "event-bus" });
  }

  /** Connects to the Redis server at `url` (failing after a few attempts if it is unreachable). */
  static async connect(options: { url: string; log: Logger; channelPrefix?: string }): Promise<RedisEventBus> {
    const redis = await connectRedisPair(options.url, { log: options.log, name: "event-bus" });
    return new RedisEventBus(redis, options);
  }

  channelOf(sessionId: string): string {
    return this.prefix + sessionId;
  }

  publish(sessionId: string, message: TBusMessage): void {
    this.local.publish(sessionId, message);
    if (this.closed) return;
    const payload = encodeEnvelope({ v: 1, origin: this.instanceId, sessionId, message });
    this.redis.pub.publish(this.channelOf(sessionId), payload).catch((error: unknown) => {
      this.log.warn("event bus publish failed", { sessionId, kind: message.kind, error });
    });
  }

  subscribe(sessionId: string, listener: (message: TBusMessage) => void): () => void {
    const unsubscribeLocal = this.local.subscribe(sessionId, listener);
    this.retain(sessionId);
    let done = false;
    return () => {
      if (done) return;
      done = true;
      unsubscribeLocal();
      this.release(sessionId);
    };
  }

  whenSubscribed(sessionId: string): Promise<void> {
    const ready = this.channels.get(sessionId)?.ready;
    if (!ready) return Promise.resolve();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<void>((resolve) => (timer = setTimeout(resolve, SUBSCRIBE_WAIT_MS)));
    return Promise.race([ready, late]).finally(() => clearTimeout(timer));
  }

  /** Stops publishing to and receiving from Redis and closes its connections. */
  async close(): Promise<void> {
    this.closed = true;
    this.channels.clear();
    await this.redis.close();
  }

  private retain(sessionId: string): void {
    const entry = this.channels.get(sessionId);
    if (entry) {
      entry.count += 1;
      return;
    }
    if (this.closed) return;
    const ready = this.redis.sub.subscribe(this.channelOf(sessionId), this.onRaw).catch((error: unknown) => {
      this.log.warn("event bus subscribe failed", { sessionId, error });
    });
    this.channels.set(sessionId, { count: 1, ready });
  }

  private release(sessionId: string): void {
    const entry = this.channels.get(sessionId);
    if (!entry) return;
    entry.count -= 1;
    if (entry.count > 0) return;
    this.channels.delete(sessionId);
    if (this.closed) return;
    this.redis.sub.unsubscribe(this.channelOf(sessionId), this.onRaw).catch((error: unknown) => {
      this.log.warn("event bus unsubscribe failed", { sessionId, error });
    });
  }

  private readonly onRaw = (raw: string, channel: string): void => {
    const decoded = decodeEnvelope(raw);
    if (!decoded.ok) return this.drop(channel, decoded.reason);
    const { envelope } = decoded;
    if (envelope.origin === this.instanceId) return;
    if (this.channelOf(envelope.sessionId) !== channel) return this.drop(channel, "sessionId does not match the channel");
    this.local.publish(envelope.sessionId, envelope.message);
  };

  private drop(channel: string, reason: string): void {
    if (Date.now() - this.lastDropLoggedAt < DROP_LOG_INTERVAL_MS) return;
    this.lastDropLoggedAt = Date.now();
    this.log.warn("event bus dropped a malformed message", { channel, reason });
  }
}
