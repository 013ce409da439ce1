import { AppError } from "@/lib/errors";

/**
 * A token bucket per API key, in this process: `ratePerSecond` sustained, bursts up to `burst`.
 * A refused request gets 429 with `retry-after` (seconds until a token is back).
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly ratePerSecond: number,
    private readonly burst: number,
    private readonly now: () => number = Date.now,
  ) {}

  take(key: string): void {
    const now = this.now();
    const bucket = this.buckets.get(key) ?? { tokens: this.burst, at: now };
    bucket.tokens = Math.min(this.burst, bucket.tokens + ((now - bucket.at) / 1000) * this.ratePerSecond);
    bucket.at = now;
    if (bucket.tokens < 1) {
      this.buckets.set(key, bucket);
      const retryAfterSeconds = Math.max(1, Math.ceil((1 - bucket.tokens) / this.ratePerSecond));
      throw new AppError("rate_limited", `Rate limit exceeded: at most ${this.ratePerSecond} requests per second per API key.`, { retryAfterSeconds });
    }
    bucket.tokens -= 1;
    this.buckets.set(key, bucket);
  }
}
