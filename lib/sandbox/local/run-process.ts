import "server-only";
import { spawn, type ChildProcess, type StdioOptions } from "node:child_process";
import { CappedOutput } from "../capped-output";
import type { ExecResult, TExecOutputListener, TExecStream } from "../types";

export interface RunOptions {
  argv: string[];
  timeoutMs: number;
  maxOutputBytes: number;
  stdin?: string | Buffer;
  /** Called with a function that kills the run; used by destroy(). */
  onStart?: (kill: () => void) => void;
  /** Told each chunk as it arrives (see `ExecOptions.onOutput`). */
  onOutput?: TExecOutputListener;
}

/** How long to wait for pipes to close after SIGKILL before giving up on them. */
const CLOSE_GRACE_MS = 5_000;

/**
 * Spawns argv in its own process group with an empty environment (bwrap's own process is PID 1
 * inside the sandbox, and its environment is readable there as /proc/1/environ), captures both
 * streams in bounded memory, and SIGKILLs the whole group when the wall-clock limit passes.
 */
export function runProcess(options: RunOptions): Promise<ExecResult> {
  const [file, ...args] = options.argv;
  if (!file) return Promise.reject(new Error("empty argv"));
  return new Promise((resolve, reject) => {
    const stdio: StdioOptions = [options.stdin === undefined ? "ignore" : "pipe", "pipe", "pipe"];
    // Cast: the project's ambient types make NODE_ENV a required key; an empty env is intended.
    const env = {} as NodeJS.ProcessEnv;
    const child: ChildProcess = spawn(file, args, { env, detached: true, stdio });
    const stdout = new CappedOutput(options.maxOutputBytes);
    const stderr = new CappedOutput(options.maxOutputBytes);
    let timedOut = false;
    let settled = false;

    const killGroup = () => killProcessGroup(child);
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup();
      // A process outside the namespace could still hold the pipes open; never wait forever.
      setTimeout(() => {
        child.stdout?.destroy();
        child.stderr?.destroy();
        finish(null, "SIGKILL");
      }, CLOSE_GRACE_MS).unref();
    }, options.timeoutMs);

    const finish = (code: number | null, signal: NodeJS.Signals | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      const result: ExecResult = {
        exitCode: timedOut ? null : code,
        stdout: stdout.toString(),
        stderr: stderr.toString(),
        timedOut,
        truncated: stdout.truncated || stderr.truncated,
      };
      if (signal) result.signal = signal;
      resolve(result);
    };

    const tell = (stream: TExecStream, chunk: Buffer) => {
      try {
        options.onOutput?.(stream, chunk);
      } catch {
        // a listener's failure must not lose the command's output
      }
    };
    child.stdout!.on("data", (chunk: Buffer) => {
      stdout.push(chunk);
      tell("stdout", chunk);
    });
    child.stderr!.on("data", (chunk: Buffer) => {
      stderr.push(chunk);
      tell("stderr", chunk);
    });
    child.once("error", (error: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      reject(error);
    });
    child.once("close", finish);

    if (child.stdin) {
      child.stdin.on("error", () => {}); // the command may exit without reading its input
      child.stdin.end(options.stdin);
    }
    options.onStart?.(killGroup);
  });
}

function killProcessGroup(child: ChildProcess): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, "SIGKILL");
  } catch {
    // Already gone.
  }
}
