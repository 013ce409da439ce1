import "server-only";
import { ModelError } from "@/lib/model/types";

/** How a harness step retries a model request that failed retryably (THarnessDeps.modelRetry). */
export type TModelRetry = { attempts: number; baseDelayMs: number; maxDelayMs: number };

/**
 * A failed model request as a ModelError: the one the model client threw, or a non-retryable
 * `model_request_failed_error` with the error's message (else `fallback`). One reading for every
 * step that calls a model: the agent's turn, the grader, the advisor, a context's summary.
 */
export function asModelError(error: unknown, fallback: string): ModelError {
  if (error instanceof ModelError) return error;
  return new ModelError("model_request_failed_error", error instanceof Error ? error.message : fallback, false);
}

/** The wait before the attempt after `attempt`: doubling from `baseDelayMs` up to `maxDelayMs`, or longer when the server asked (retry-after). */
export function retryDelayMs(retry: TModelRetry, attempt: number, failure: ModelError): number {
  return Math.max(Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** (attempt - 1)), failure.retryAfterMs ?? 0);
}
