import { BurstyRateLimiter, RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";
import { AppError } from "@/lib/errors";

/** The per-API-key request limit of /v1 (API_RATE_LIMIT_RPS, API_RATE_LIMIT_BURST). */
export interface RateLimiter {
  /** Resolves when `key` may make one more request; rejects with AppError "rate_limited" (429 + retry-after) when not. */
  take(key: string): Promise<void>;
  /** Releases what the limiter holds (a Redis connection). */
  close(): Promise<void>;
}

export type TRateLimit = { ratePerSecond: number; burst: number };

/** What rate-limiter-flexible's limiters (and BurstyRateLimiter) have in common. */
export type TPointsLimiter = { consume(key: string, points?: number): Promise<RateLimiterRes> };

/** One fixed window of rate-limiter-flexible: `points` per `duration` seconds, per key. */
export type TWindow = { keyPrefix: string; points: number; duration: number };

/**
 * The windows that express "`ratePerSecond` sustained, bursts up to `burst`" (rate-limiter-flexible
 * counts points in fixed windows; it has no token bucket, and its Redis windows are whole seconds):
 *
 * - sustained: `ratePerSecond` per 1 s window, so a client at the sustained rate is never refused
 *   and a refused one is told to retry within a second, as with the token bucket this replaces;
 * - burst: the `burst - ratePerSecond` requests beyond that, per window of `ceil(burst / rate)` s,
 *   the time a token bucket takes to refill; used only when the sustained window is spent
 *   (BurstyRateLimiter, the library's documented "rate + burst").
 *
 * The difference from a token bucket, decided knowingly: a client that bursts again in every burst
 * window gets `ratePerSecond + (burst - ratePerSecond) / window` on average (150/s at the 100/200
 * defaults) where a bucket would hold it to `ratePerSecond`. A burst at or below the rate adds
 * nothing: up to `ratePerSecond` requests may then arrive at once.
 */
export function rateLimitWindows(limit: TRateLimit): { sustained: TWindow; burst: TWindow | null } {
  const sustained = { keyPrefix: "oma:rate-limit:sustained", points: limit.ratePerSecond, duration: 1 };
  if (limit.burst <= limit.ratePerSecond) return { sustained, burst: null };
  return { sustained, burst: { keyPrefix: "oma:rate-limit:burst", points: limit.burst - limit.ratePerSecond, duration: Math.ceil(limit.burst / limit.ratePerSecond) } };
}

/** The sustained window, plus the burst window when there is one, built by `make` (memory or Redis). */
export function burstyLimiter(limit: TRateLimit, make: (window: TWindow) => TPointsLimiter): TPointsLimiter {
  const { sustained, burst } = rateLimitWindows(limit);
  // BurstyRateLimiter's typings ask for the library's own classes; any limiter with consume() works.
  type TLimiterArg = ConstructorParameters<typeof BurstyRateLimiter>[0];
  return burst ? new BurstyRateLimiter(make(sustained) as TLimiterArg, make(burst) as TLimiterArg) : make(sustained);
}

/** The refusal a client sees: 429 with retry-after in whole seconds, at least 1. */
export function rateLimited(limit: TRateLimit, refusal: RateLimiterRes): AppError {
  const retryAfterSeconds = Math.max(1, Math.ceil(refusal.msBeforeNext / 1000));
  return new AppError("rate_limited", `Rate limit exceeded: at most ${limit.ratePerSecond} requests per second per API key.`, { retryAfterSeconds });
}

export function memoryWindow(window: TWindow): RateLimiterMemory {
  return new RateLimiterMemory(window);
}

/** The limit in this process only: what runs without REDIS_URL. */
export class MemoryRateLimiter implements RateLimiter {
  private readonly limiter: TPointsLimiter;

  constructor(private readonly limit: TRateLimit) {
    this.limiter = burstyLimiter(limit, memoryWindow);
  }

  async take(key: string): Promise<void> {
    try {
      await this.limiter.consume(key);
    } catch (refusal) {
      if (refusal instanceof RateLimiterRes) throw rateLimited(this.limit, refusal);
      throw refusal;
    }
  }

  async close(): Promise<void> {}
}
