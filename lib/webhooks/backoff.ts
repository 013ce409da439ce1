import "server-only";
/** How often and how soon a failed delivery is tried again (WEBHOOKS_* settings, lib/env.ts). */
export type TRetryPolicy = {
  /** The wait after the first failed attempt; each later wait is 3 times the one before. */
  baseMs: number;
  /** No wait is longer than this. */
  maxDelayMs: number;
  /** Attempts in all (the first one included); then the delivery is `failed`. */
  maxAttempts: number;
};

export const DEFAULT_RETRY_POLICY: TRetryPolicy = { baseMs: 10_000, maxDelayMs: 6 * 3_600_000, maxAttempts: 8 };

/**
 * The wait before the next attempt after `attempts` attempts have failed, or null when they are
 * spent. With the defaults: 10 s, 30 s, 1.5 min, 4.5 min, 13.5 min, 40.5 min, 2 h (about 3.4 h in all).
 */
export function retryDelayMs(attempts: number, policy: TRetryPolicy = DEFAULT_RETRY_POLICY): number | null {
  if (attempts >= policy.maxAttempts) return null;
  return Math.min(policy.baseMs * 3 ** Math.max(0, attempts - 1), policy.maxDelayMs);
}
