import "server-only";
import { randomBytes } from "node:crypto";
import type { Command, Session } from "@vercel/sandbox";
import { CappedOutput } from "../capped-output";
import type { ExecResult, TExecOutputListener } from "../types";
import { VERCEL_WORKSPACE_DIR } from "./workspace-paths";

export interface SessionCommand {
  command: string;
  /** Sandbox path (`/workspace/…`) to start in. */
  cwd: string;
  env: Record<string, string>;
  stdin?: string | Buffer;
  timeoutMs: number;
  /** Cap per stream; the middle is dropped beyond it. */
  maxOutputBytes: number;
  /** Told each log chunk as the SDK streams it (see `ExecOptions.onOutput`). */
  onOutput?: TExecOutputListener;
}

/**
 * Runs first in the VM: takes stdin from the uploaded file (removed once open) or /dev/null, enters
 * the working directory through the `/workspace` link (so `pwd` says `/workspace`, as with every
 * provider), and replaces itself with a login bash running the command. $1 = cwd, $2 = stdin, $3 = command.
 */
const WRAPPER = 'exec 0<"$2" || exit 1; [ "$2" = /dev/null ] || rm -f -- "$2"; cd -- "$1" || exit 1; exec bash -lc "$3"';

/** How long to wait for the output streams after the command ended or was killed. */
const CLOSE_GRACE_MS = 5_000;

/**
 * Runs a command detached and follows its logs, so output is capped as it arrives rather than
 * collected whole. At the deadline the command is killed (Vercel also enforces `timeoutMs` itself);
 * if the API does not report the end within a grace period, the result is returned anyway.
 */
export async function runSessionCommand(session: Session, request: SessionCommand): Promise<ExecResult> {
  const stdinPath = await uploadStdin(session, request.stdin);
  const stdout = new CappedOutput(request.maxOutputBytes);
  const stderr = new CappedOutput(request.maxOutputBytes);
  const streams = new AbortController();
  const started = Date.now();
  let timedOut = false;
  let command: Command | undefined;
  let giveUp: NodeJS.Timeout | undefined;
  const kill = () => void command?.kill("SIGKILL").catch(() => {}); // it may have ended already
  const deadline = setTimeout(() => {
    timedOut = true;
    kill();
    giveUp = setTimeout(() => streams.abort(), CLOSE_GRACE_MS);
  }, request.timeoutMs);

  try {
    command = await session.runCommand({
      cmd: "bash",
      args: ["-c", WRAPPER, "bash", request.cwd, stdinPath, request.command],
      cwd: VERCEL_WORKSPACE_DIR,
      env: request.env,
      detached: true,
      timeoutMs: request.timeoutMs,
    });
    if (timedOut) kill();
    const logs = drainLogs(command, stdout, stderr, streams.signal, request.onOutput);
    logs.catch(() => {}); // observed below; a wait() failure must not leave it unhandled

    let exitCode: number | null;
    try {
      exitCode = (await command.wait({ signal: streams.signal })).exitCode;
    } catch (error) {
      if (!(timedOut && streams.signal.aborted)) throw error;
      exitCode = null;
    }
    await settleWithin(logs, CLOSE_GRACE_MS);

    // The VM's own deadline can report a kill a moment before ours fires.
    if (!timedOut && exitCode !== null && exitCode >= 128 && Date.now() - started >= request.timeoutMs) timedOut = true;
    const result: ExecResult = {
      exitCode: timedOut ? null : exitCode,
      stdout: stdout.toString(),
      stderr: stderr.toString(),
      timedOut,
      truncated: stdout.truncated || stderr.truncated,
    };
    if (timedOut) result.signal = "SIGKILL";
    return result;
  } finally {
    clearTimeout(deadline);
    clearTimeout(giveUp);
    streams.abort();
  }
}

/** Uploads stdin to a file under /tmp for the wrapper to read; "/dev/null" when there is none. */
async function uploadStdin(session: Session, stdin: string | Buffer | undefined): Promise<string> {
  if (stdin === undefined) return "/dev/null";
  const path = `/tmp/.stdin-${randomBytes(8).toString("hex")}`;
  await session.writeFiles([{ path, content: typeof stdin === "string" ? Buffer.from(stdin) : stdin }]);
  return path;
}

async function drainLogs(command: Command, stdout: CappedOutput, stderr: CappedOutput, signal: AbortSignal, onOutput?: TExecOutputListener): Promise<void> {
  try {
    for await (const line of command.logs({ signal })) {
      if (line.stream !== "stdout" && line.stream !== "stderr") continue;
      const chunk = Buffer.from(line.data);
      (line.stream === "stdout" ? stdout : stderr).push(chunk);
      try {
        onOutput?.(line.stream, chunk);
      } catch {
        // a listener's failure must not lose the command's output
      }
    }
  } catch (error) {
    if (!signal.aborted) throw error;
  }
}

/** Waits for `promise` (rethrowing its failure) or `ms`, whichever comes first. */
async function settleWithin(promise: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([promise, new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
  } finally {
    clearTimeout(timer);
  }
}
