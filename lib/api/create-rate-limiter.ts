import type { TEnv } from "@/lib/env";
import type { Logger } from "@/lib/log";
import { redisLabel } from "@/lib/realtime/redis-clients";
import { MemoryRateLimiter, type RateLimiter, type TRateLimit } from "./rate-limiter";
import { RedisRateLimiter } from "./redis-rate-limiter";

type TRateLimitEnv = Pick<TEnv, "REDIS_URL" | "API_RATE_LIMIT_RPS" | "API_RATE_LIMIT_BURST">;

/**
 * The per-API-key limit of this process: shared through Redis when REDIS_URL is set, so that N web
 * servers together allow what one would; in this process's memory otherwise. Rejects when Redis
 * cannot be reached at start-up.
 */
export async function createRateLimiter(env: TRateLimitEnv, log: Logger): Promise<RateLimiter> {
  const limit = limitOf(env);
  if (!env.REDIS_URL) return new MemoryRateLimiter(limit);
  return RedisRateLimiter.connect({ url: env.REDIS_URL, limit, log });
}

/** The line boot() logs, e.g. "rate limit: 100 requests/s per API key, bursts of 200, shared through Redis at …". */
export function describeRateLimit(env: TRateLimitEnv): string {
  const { ratePerSecond, burst } = limitOf(env);
  const where = env.REDIS_URL ? `shared through Redis at ${redisLabel(env.REDIS_URL)}` : "counted in this process only (set REDIS_URL to share it across processes)";
  return `${ratePerSecond} requests/s per API key, bursts of ${Math.max(burst, ratePerSecond)}, ${where}`;
}

function limitOf(env: TRateLimitEnv): TRateLimit {
  return { ratePerSecond: env.API_RATE_LIMIT_RPS, burst: env.API_RATE_LIMIT_BURST };
}
