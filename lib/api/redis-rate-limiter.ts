import { RateLimiterRedis, RateLimiterRes, RLWrapperTimeouts } from "rate-limiter-flexible";
import type { Logger } from "@/lib/log";
import { closeRedisClient, connectRedisClient, type TRedisClient } from "@/lib/realtime/redis-clients";
import { burstyLimiter, memoryWindow, rateLimited, type RateLimiter, type TPointsLimiter, type TRateLimit } from "./rate-limiter";

/** How long a request waits for Redis before it is counted in this process instead. */
const REDIS_TIMEOUT_MS = 1_000;
/** While Redis stays unreachable, the fallback is logged at most this often. */
const FALLBACK_LOG_INTERVAL_MS = 30_000;

type TOptions = {
  limit: TRateLimit;
  /** A connected node-redis client (`useRedisPackage`); closed by close() when `ownsClient`. */
  client: TRedisClient;
  log: Logger;
  /** Put before every key: tests isolate themselves with it. */
  keyPrefix?: string;
  timeoutMs?: number;
  ownsClient?: boolean;
};

/**
 * The limit shared by every process on one Redis (REDIS_URL): rate-limiter-flexible counts the
 * windows of `rateLimitWindows` atomically in Redis, so N web servers together allow what one would.
 *
 * When Redis does not answer (the connection is down while the client reconnects, or no answer
 * within a second) the request is counted in this process's memory instead, as without REDIS_URL,
 * with a warning at most every 30 s: the limit degrades to per process, never to none, and a
 * request is never failed because of it. (This is rate-limiter-flexible's `insuranceLimiter`
 * strategy, done here so that the switch is logged.)
 */
export class RedisRateLimiter implements RateLimiter {
  private readonly shared: TPointsLimiter;
  private readonly fallback: TPointsLimiter;
  private readonly log: Logger;
  private lastWarnedAt = -Infinity;

  constructor(private readonly options: TOptions) {
    const { client, keyPrefix = "", timeoutMs = REDIS_TIMEOUT_MS } = options;
    this.log = options.log.child({ component: "rate-limiter" });
    this.shared = burstyLimiter(options.limit, (window) => {
      // rejectIfRedisNotReady: while reconnecting, node-redis would queue the command and the
      // request would wait for Redis to come back; refuse at once and fall back instead.
      const limiter = new RateLimiterRedis({ ...window, keyPrefix: keyPrefix + window.keyPrefix, storeClient: client, useRedisPackage: true, rejectIfRedisNotReady: true });
      return new RLWrapperTimeouts({ limiter, timeoutMs });
    });
    this.fallback = burstyLimiter(options.limit, memoryWindow);
  }

  /** Connects to REDIS_URL; rejects when Redis cannot be reached at start-up (like the event bus). */
  static async connect(options: { url: string; limit: TRateLimit; log: Logger }): Promise<RedisRateLimiter> {
    const client = await connectRedisClient(options.url, { log: options.log, name: "rate-limiter" });
    return new RedisRateLimiter({ limit: options.limit, client, log: options.log, ownsClient: true });
  }

  async take(key: string): Promise<void> {
    try {
      await this.shared.consume(key);
      return;
    } catch (outcome) {
      if (outcome instanceof RateLimiterRes) throw rateLimited(this.options.limit, outcome);
      this.warn(outcome);
    }
    try {
      await this.fallback.consume(key);
    } catch (refusal) {
      if (refusal instanceof RateLimiterRes) throw rateLimited(this.options.limit, refusal);
      throw refusal;
    }
  }

  async close(): Promise<void> {
    if (this.options.ownsClient) await closeRedisClient(this.options.client);
  }

  private warn(error: unknown): void {
    if (Date.now() - this.lastWarnedAt < FALLBACK_LOG_INTERVAL_MS) return;
    this.lastWarnedAt = Date.now();
    this.log.warn("rate limit counted in this process only: Redis did not answer", { error });
  }
}
