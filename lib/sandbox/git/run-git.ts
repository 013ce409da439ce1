import "server-only";
import { spawn } from "node:child_process";

export type TGitResult = { exitCode: number | null; stderr: string; timedOut: boolean };

/** stderr kept per command: enough for git's error lines, bounded whatever the server sends. */
const MAX_STDERR_BYTES = 64 * 1024;

/**
 * Runs `git <args>` on the host with exactly `env` (nothing inherited), no stdin, in its own process
 * group, killed with the whole group when `timeoutMs` passes. Resolves with the exit code and the
 * tail of stderr; rejects only when git cannot be started at all.
 */
export function runGit(args: readonly string[], options: { env: Record<string, string>; timeoutMs: number; cwd?: string }): Promise<TGitResult> {
  return new Promise((resolve, reject) => {
    // Cast: the project's ambient types make NODE_ENV a required key; exactly this env is intended.
    const env = options.env as NodeJS.ProcessEnv;
    const child = spawn("git", args, { env, cwd: options.cwd, detached: true, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        if (child.pid !== undefined) process.kill(-child.pid, "SIGKILL");
      } catch {
        // already gone
      }
    }, options.timeoutMs);
    child.stderr!.setEncoding("utf8");
    child.stderr!.on("data", (chunk: string) => {
      stderr = (stderr + chunk).slice(-MAX_STDERR_BYTES);
    });
    child.once("error", (error) => {
      clearTimeout(timer);
      reject(new Error(`cannot run git (${(error as NodeJS.ErrnoException).code ?? error.message}): install git on the host`));
    });
    child.once("close", (code) => {
      clearTimeout(timer);
      resolve({ exitCode: timedOut ? null : code, stderr, timedOut });
    });
  });
}
