import { AppError, type TErrorCode } from "@/lib/errors";

/**
 * The one place where domain errors become HTTP responses, in the Anthropic error envelope:
 * `{ type: "error", error: { type, message, details? }, request_id }`. Only AppErrors' messages reach
 * the client; anything else is a 500 with a generic message (and is logged by the caller).
 */
const STATUS: Record<TErrorCode, { status: number; type: string }> = {
  invalid_request: { status: 400, type: "invalid_request_error" },
  unauthorized: { status: 401, type: "authentication_error" },
  forbidden: { status: 403, type: "permission_error" },
  not_found: { status: 404, type: "not_found_error" },
  precondition_failed: { status: 412, type: "invalid_request_error" },
  conflict: { status: 409, type: "conflict_error" },
  payload_too_large: { status: 413, type: "request_too_large" },
  rate_limited: { status: 429, type: "rate_limit_error" },
  internal: { status: 500, type: "api_error" },
};

export function errorResponse(error: unknown, requestId: string): Response {
  const known = error instanceof AppError ? error : new AppError("internal", "Internal server error");
  const { status } = STATUS[known.code];
  // `errorType`: a more specific envelope type the SDK knows (the memory 409s), with `errorFields`
  // beside the message (`conflicting_path`, `conflicting_memory_id`).
  const type = typeof known.details?.errorType === "string" ? known.details.errorType : STATUS[known.code].type;
  const fields = known.details?.errorFields && typeof known.details.errorFields === "object" ? known.details.errorFields : {};
  const headers: Record<string, string> = { "content-type": "application/json", "request-id": requestId };
  // A conflict (e.g. a stale `version`) or a bad request will not go away on retry; the SDK
  // would otherwise retry 409s automatically.
  if (status === 409 || status === 400 || status === 404 || status === 412) headers["x-should-retry"] = "false";
  const retryAfter = known.details?.retryAfterSeconds;
  if (typeof retryAfter === "number") headers["retry-after"] = String(retryAfter);
  // `errorDetails`: more of `error.details` a client reads (e.g. the lease state beside a 412 heartbeat_precondition_failed)
  const extra = known.details?.errorDetails && typeof known.details.errorDetails === "object" ? known.details.errorDetails : {};
  const details = known.details?.errorCode ? { error_code: known.details.errorCode, ...extra } : undefined;
  const body = { type: "error", error: { type, message: known.message, ...fields, ...(details ? { details } : {}) }, request_id: requestId };
  return new Response(JSON.stringify(body), { status, headers });
}
