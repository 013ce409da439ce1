import "server-only";
import { APIError, StreamError } from "@vercel/sandbox";
import { SandboxError, type SandboxErrorCode } from "../errors";

/**
 * Whether a Vercel API failure means the VM is gone: its session stopped (410), is stopping or
 * being snapshotted (422), or is unknown (404 on a session route). The harness replaces a sandbox
 * on `sandbox_dead`, so nothing here resumes a stopped session behind its back: a resumed
 * non-persistent session would have an empty filesystem.
 */
export function isGoneError(error: unknown): boolean {
  if (error instanceof StreamError) return true; // the command stream broke because the VM went away
  if (!(error instanceof APIError)) return false;
  const status = error.response.status;
  if (status === 410 || status === 404) return true;
  const code = (error.json as { error?: { code?: unknown } } | undefined)?.error?.code;
  return status === 422 && (code === "sandbox_stopping" || code === "sandbox_snapshotting");
}

/** An HTTP status of a Vercel API failure, if it is one. */
export function apiStatus(error: unknown): number | undefined {
  return error instanceof APIError ? error.response.status : undefined;
}

/**
 * Maps a failure of the SDK to a SandboxError the harness can act on. `fallback` is the code for
 * anything that is not a dead VM (a failed provision is always `provision_failed`: there is no VM
 * yet to be dead); the message says what failed without credentials (the SDK's messages carry the
 * status and the server's own message, never the token).
 */
export function toSandboxError(error: unknown, fallback: SandboxErrorCode, doing: string): SandboxError {
  if (error instanceof SandboxError) return error;
  if (fallback !== "provision_failed" && isGoneError(error)) {
    return new SandboxError("sandbox_dead", `the Vercel sandbox is no longer running (${doing})`, { cause: error });
  }
  const status = apiStatus(error);
  const detail =
    status === 401 || status === 403
      ? `the Vercel API refused the credentials (HTTP ${status})`
      : status !== undefined
        ? `the Vercel API answered HTTP ${status}${serverMessage(error)}`
        : `the Vercel API could not be reached: ${(error as Error)?.message ?? String(error)}`;
  return new SandboxError(fallback, `${doing}: ${detail}`, { cause: error });
}

function serverMessage(error: unknown): string {
  const message = (error as { json?: { error?: { message?: unknown } } }).json?.error?.message;
  return typeof message === "string" && message ? ` (${message})` : "";
}
