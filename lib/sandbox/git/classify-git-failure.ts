import "server-only";
import { createRedactor } from "@/lib/redact";
import { RepositoryError, type RepositoryErrorCode } from "./repository-error";

/**
 * Turns a failed git command's stderr into a RepositoryError. git prints the reason in English
 * (LC_ALL=C); the patterns below are those of git's http transport. The detail kept for the
 * message is git's last `fatal:`/`error:` line, with the token redacted in every encoding it could
 * appear in (plain, base64 in the Basic header, URL-encoded …).
 */
export function classifyGitFailure(options: { url: string; token?: string; stderr: string; step: "clone" | "checkout" }): RepositoryError {
  const stderr = options.stderr;
  const detail = lastErrorLine(createRedactor(options.token ? [options.token] : []).redact(stderr));
  let code: RepositoryErrorCode;
  let reason: string;
  if (options.step === "checkout" || /Remote branch .* not found/i.test(stderr)) {
    code = "repository_checkout_error";
    reason = "the branch or commit to check out was not found";
  } else if (/Authentication failed|could not read (Username|Password)|terminal prompts disabled|returned error: 401/i.test(stderr)) {
    code = "repository_authentication_error";
    reason = "authentication failed: the token is missing, wrong or expired";
  } else if (/returned error: 403/i.test(stderr)) {
    code = "repository_forbidden_error";
    reason = "access denied: the token may not read this repository";
  } else if (/returned error: 404|repository '.*' not found|does not appear to be a git repository/i.test(stderr)) {
    code = "repository_not_found_error";
    reason = "the repository was not found (or the token cannot see it)";
  } else if (/returned error: 30[1278]/i.test(stderr)) {
    code = "repository_clone_error";
    reason = "the server redirected the clone, which is not followed: use the repository's current URL";
  } else {
    code = "repository_clone_error";
    reason = "the clone failed";
  }
  return new RepositoryError(code, options.url, detail ? `${reason} (${detail})` : reason);
}

function lastErrorLine(stderr: string): string {
  const lines = stderr
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => /^(fatal|error):/.test(l));
  return (lines.at(-1) ?? "").slice(0, 300);
}
