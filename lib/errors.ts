/**
 * Typed errors of the domain. Each carries a code; the HTTP/Socket.io edges map codes to statuses
 * and decide what a client may see (lib/api maps them to the Anthropic error envelope). The message
 * is written for the person who sent the request and never contains a secret.
 */
export type TErrorCode =
  | "invalid_request"
  | "not_found"
  | "conflict"
  | "unauthorized"
  | "forbidden"
  | "precondition_failed"
  | "rate_limited"
  | "payload_too_large"
  | "internal";

/**
 * Marks AppErrors so they are recognised across copies of this module: the custom server (loaded by
 * tsx) and Next's bundled route code each have their own `AppError` class, and an error thrown by an
 * object built at boot (a store, the rate limiter) must still map to its status, not to a 500.
 */
const APP_ERROR = Symbol.for("open-managed-agents.app-error");

export class AppError extends Error {
  readonly [APP_ERROR] = true;

  constructor(
    readonly code: TErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = "AppError";
  }

  /** `x instanceof AppError` holds for an AppError from any copy of this module. */
  static [Symbol.hasInstance](value: unknown): boolean {
    if (this !== AppError) return Function.prototype[Symbol.hasInstance].call(this, value);
    return typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[APP_ERROR] === true;
  }
}

export class InvalidRequestError extends AppError {
  constructor(message: string, details?: Record<string, unknown>) {
    super("invalid_request", message, details);
    this.name = "InvalidRequestError";
  }
}

export class NotFoundError extends AppError {
  constructor(message: string, details?: Record<string, unknown>) {
    super("not_found", message, details);
    this.name = "NotFoundError";
  }
}

export class ConflictError extends AppError {
  constructor(message: string, details?: Record<string, unknown>) {
    super("conflict", message, details);
    this.name = "ConflictError";
  }
}

/**
 * A harness tried to append to a session whose lease it no longer holds (it expired and may have
 * been taken over). Nothing was written; the harness must stop driving the session.
 */
export class LeaseLostError extends AppError {
  constructor(sessionId: string, workerId: string) {
    super("conflict", `worker ${workerId} does not hold the lease on session ${sessionId}`, { reason: "lease_lost" });
    this.name = "LeaseLostError";
  }
}

export class UnauthorizedError extends AppError {
  constructor(message: string) {
    super("unauthorized", message);
    this.name = "UnauthorizedError";
  }
}

/** Formats a zod issue path like `events[2].content[0].text`. */
export function formatIssuePath(path: ReadonlyArray<PropertyKey>, root = ""): string {
  let out = root;
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else out += out === "" ? String(part) : `.${String(part)}`;
  }
  return out;
}
