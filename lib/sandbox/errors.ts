import "server-only";
export type SandboxErrorCode =
  | "provision_failed"
  | "sandbox_dead"
  | "timeout"
  | "path_outside_workspace"
  | "not_found"
  | "not_a_file"
  | "too_large"
  | "io_error";

/**
 * Every failure a sandbox reports. `code` is what callers branch on: the harness replaces a
 * sandbox on `sandbox_dead` / `timeout`; the others are the model's mistake and become a tool
 * error it can read. `message` is safe to show to the model.
 */
export class SandboxError extends Error {
  override readonly name = "SandboxError";
  readonly code: SandboxErrorCode;

  constructor(code: SandboxErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

export function isSandboxError(error: unknown): error is SandboxError {
  return error instanceof SandboxError;
}
