import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { MemoryRateLimiter, rateLimitWindows, type RateLimiter } from "@/lib/api/rate-limiter";
import { RedisRateLimiter } from "@/lib/api/redis-rate-limiter";
import { attempt, type TOutcome } from "@/tests/fixtures/rate-limit";
import { createLogger } from "@/lib/log";
import type { TRedisClient } from "@/lib/realtime/redis-clients";

// The per-key limit on an injected clock (vitest's fake Date and timers, which rate-limiter-flexible's
// memory limiter reads): what a client sees at the burst, at the sustained rate and after waiting.


async function attempts(limiter: RateLimiter, count: number, key = "key_a"): Promise<TOutcome[]> {
  const outcomes: TOutcome[] = [];
  for (let i = 0; i < count; i++) outcomes.push(await attempt(limiter, key));
  return outcomes;
}

const oks = (outcomes: TOutcome[]) => outcomes.filter((o) => o === "ok").length;

beforeEach(() => {
  vi.useFakeTimers({ now: 0 });
});
afterEach(() => {
  vi.useRealTimers();
});

describe("MemoryRateLimiter", () => {
  it("allows a burst of exactly BURST at once, then answers rate_limited with retry-after 1 s", async () => {
    const limiter = new MemoryRateLimiter({ ratePerSecond: 2, burst: 5 });
    expect(await attempts(limiter, 5)).toEqual(["ok", "ok", "ok", "ok", "ok"]);
    await expect(limiter.take("key_a")).rejects.toThrow(/Rate limit exceeded: at most 2 requests per second per API key/);
    expect(await attempt(limiter)).toEqual({ retryAfterSeconds: 1 });
    expect(await attempt(limiter, "key_b")).toBe("ok"); // another key has its own limit
  });

  it("lets through, after the retry-after it gave, the sustained rate again, not a new burst", async () => {
    const limiter = new MemoryRateLimiter({ ratePerSecond: 2, burst: 5 });
    await attempts(limiter, 5);
    const refused = await attempt(limiter);
    expect(refused).toEqual({ retryAfterSeconds: 1 });
    vi.advanceTimersByTime(1_000);
    expect(await attempts(limiter, 3)).toEqual(["ok", "ok", { retryAfterSeconds: 1 }]);
  });

  it("never refuses a client that keeps to the sustained rate", async () => {
    const limiter = new MemoryRateLimiter({ ratePerSecond: 2, burst: 5 });
    const outcomes: TOutcome[] = [];
    for (let ms = 0; ms < 30_000; ms += 500) {
      outcomes.push(await attempt(limiter));
      vi.advanceTimersByTime(500);
    }
    expect(outcomes.every((o) => o === "ok")).toBe(true);
  });

  it("gives the whole burst back after ceil(burst / rate) seconds without requests", async () => {
    const limiter = new MemoryRateLimiter({ ratePerSecond: 2, burst: 5 });
    await attempts(limiter, 6);
    vi.advanceTimersByTime(2_000); // not yet: the burst window is ceil(5 / 2) = 3 s
    expect(oks(await attempts(limiter, 6))).toBe(2);
    vi.advanceTimersByTime(1_000);
    expect(oks(await attempts(limiter, 6))).toBe(5);
  });

  it("holds a client at full speed to rate + (burst - rate) / window per second (the decision named in rate-limiter.ts)", async () => {
    const limiter = new MemoryRateLimiter({ ratePerSecond: 100, burst: 200 });
    let allowed = 0;
    for (let second = 0; second < 60; second++) {
      allowed += oks(await attempts(limiter, 300));
      vi.advanceTimersByTime(1_000);
    }
    // a token bucket: 200 + 100 * 59 = 6,100; these windows: 100 * 60 + 100 * 30 = 9,000 (150/s)
    expect(allowed).toBe(9_000);
  });

  it("allows `rate` at once when the burst is not above it", () => {
    expect(rateLimitWindows({ ratePerSecond: 10, burst: 3 })).toEqual({ sustained: { keyPrefix: "oma:rate-limit:sustained", points: 10, duration: 1 }, burst: null });
  });
});

describe("RedisRateLimiter when Redis does not answer", () => {
  const warnings: string[] = [];
  const log = createLogger({ level: "warn", write: (_, line) => warnings.push(line) });
  beforeEach(() => {
    warnings.length = 0;
  });

  // Only what rate-limiter-flexible touches on a node-redis client (useRedisPackage, rejectIfRedisNotReady).
  const client = (behaviour: { isReady: boolean; eval?: () => Promise<unknown> }) => behaviour as unknown as TRedisClient;

  it("counts in this process while the connection is down: still refuses past the burst, and warns once", async () => {
    const limiter = new RedisRateLimiter({ limit: { ratePerSecond: 1, burst: 3 }, client: client({ isReady: false }), log });
    expect(await attempts(limiter, 4)).toEqual(["ok", "ok", "ok", { retryAfterSeconds: 1 }]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain("rate limit counted in this process only: Redis did not answer");
  });

  it("does not keep a request waiting for a Redis that hangs: after a second it counts in this process", async () => {
    const limiter = new RedisRateLimiter({ limit: { ratePerSecond: 1, burst: 3 }, client: client({ isReady: true, eval: () => new Promise(() => {}) }), log });
    let outcome: TOutcome | undefined;
    void attempt(limiter).then((o) => (outcome = o));
    await vi.advanceTimersByTimeAsync(999);
    expect(outcome).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1);
    expect(outcome).toBe("ok");
    expect(warnings).toHaveLength(1);
  });
});
