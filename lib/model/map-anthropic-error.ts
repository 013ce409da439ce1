import Anthropic, { type APIError } from "@anthropic-ai/sdk";
import { ModelError } from "./types";

/**
 * The SDK's errors, in the harness's terms: what kind of failure it was and whether trying again
 * can help. `redact` removes credentials from every message before it leaves this module.
 */

/** The HTTP status an error type stands for, when the API reports it inside a 200 stream. */
const STATUS_OF_ERROR_TYPE: Record<string, number> = {
  invalid_request_error: 400,
  authentication_error: 401,
  billing_error: 402,
  permission_error: 403,
  not_found_error: 404,
  request_too_large: 413,
  rate_limit_error: 429,
  api_error: 500,
  timeout_error: 504,
  overloaded_error: 529,
};

export type TRedact = (text: string) => string;

/** Milliseconds to wait before retrying, from `retry-after-ms` or `retry-after` (seconds or a date). */
export function parseRetryAfterMs(headers: Headers | undefined, now = Date.now()): number | undefined {
  const ms = headers?.get("retry-after-ms");
  if (ms) {
    const value = Number(ms);
    if (Number.isFinite(value) && value >= 0) return Math.round(value);
  }
  const after = headers?.get("retry-after")?.trim();
  if (!after) return undefined;
  if (/^\d+(\.\d+)?$/.test(after)) return Math.round(Number(after) * 1000);
  const date = Date.parse(after);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function describeCause(error: Error): string {
  const cause = error.cause instanceof Error ? error.cause : undefined;
  const detail = cause?.cause instanceof Error ? `${cause.message}: ${cause.cause.message}` : cause?.message;
  return detail ? `${error.message} (${detail})` : error.message;
}

function fromApiError(error: APIError, redact: TRedact): ModelError {
  const status = error.status;
  const type = error.type ?? undefined;
  const effective = status ?? (type ? STATUS_OF_ERROR_TYPE[type] : undefined);
  const what = [status, type].filter((part) => part !== undefined).join(" ") || "error";
  const detail = redact(error.apiMessage ?? error.message);
  const where = status === undefined ? " during the response stream" : "";

  if (effective === 529) {
    return new ModelError("model_overloaded_error", `The Messages API is overloaded (${what}${where}): ${detail}`, true, status);
  }
  if (effective === 429) {
    const retryAfterMs = parseRetryAfterMs(error.headers);
    return new ModelError(
      "model_rate_limited_error",
      `The Messages API rate limit was reached (${what}${where}): ${detail}`,
      true,
      status,
      retryAfterMs,
    );
  }
  const retryable = effective === undefined || effective === 408 || effective >= 500;
  return new ModelError(
    "model_request_failed_error",
    `The Messages API request failed (${what}${where}): ${detail}`,
    retryable,
    status,
  );
}

/**
 * Maps anything `messages.stream(…).finalMessage()` rejects with (aborts excepted: the caller
 * handles those first). Errors that are not HTTP errors — a refused connection, a timeout, a stream
 * cut before `message_stop` — are retryable.
 */
export function toModelError(error: unknown, redact: TRedact): ModelError {
  if (error instanceof ModelError) return error;
  if (error instanceof Anthropic.APIConnectionTimeoutError) {
    return new ModelError("model_request_failed_error", "The Messages API request timed out.", true);
  }
  if (error instanceof Anthropic.APIConnectionError) {
    return new ModelError(
      "model_request_failed_error",
      `Could not reach the Messages API: ${redact(describeCause(error))}`,
      true,
    );
  }
  if (error instanceof Anthropic.APIError) return fromApiError(error, redact);
  const detail = error instanceof Error ? describeCause(error) : String(error);
  return new ModelError(
    "model_request_failed_error",
    `The Messages API response ended before it was complete: ${redact(detail)}`,
    true,
  );
}
