import { diffLines, diffSegments, diffStats, type TDiffSegment } from "@/lib/agents/ui/diff-lines";
import type { TToolCallItem } from "./fold-timeline";
import { blocksText } from "./timeline-blocks";

/**
 * How a tool call is shown, as a pure function of its timeline item: a built-in `bash` call as a
 * terminal (the command, its output, how it ended), an `edit` as the diff of the text it replaced,
 * a `write` as the lines it wrote, anything else as its input and output. What it reads is what
 * the log holds: the bash tool's result is one text (stdout, then a `[stderr]` line and stderr, then
 * how the command ended: lib/tools/bash.ts `formatExecResult`). A result logged before stderr was
 * marked shows all its output as stdout: the two streams cannot be told apart there.
 */

/** How a command ended, as the bash tool's result says it. */
export type TCommandEnd =
  | { type: "exit"; code: number }
  | { type: "timeout"; afterMs: number }
  | { type: "killed"; signal: string | null };

export type TToolCallView =
  /** `output`: what the command wrote to stdout; `stderr`: to stderr ("" when nothing, or not known apart). */
  | { kind: "terminal"; command: string; output: string; stderr: string; end: TCommandEnd | null; truncated: boolean }
  | { kind: "edit"; path: string; segments: TDiffSegment[]; added: number; removed: number; replaceAll: boolean }
  | { kind: "write"; path: string; lines: string[] }
  | { kind: "generic"; output: string | null };

// The closing lines of lib/tools/bash.ts `formatExecResult`.
const EXIT_LINE = /^Exit code (-?\d+)$/;
const TIMEOUT_LINE = /^Command timed out after (\d+) ms and was killed\.$/;
const KILLED_LINE = /^Command was killed(?: by (\S+))?\.$/;
const TRUNCATED_LINE = "(output was truncated in the middle)";
const NO_OUTPUT = "(no output)";
// lib/tools/bash.ts `STDERR_MARKER`: the line before the command's stderr
const STDERR_LINE = "[stderr]";

const stringField = (input: Record<string, unknown>, key: string): string | null => {
  const value = input[key];
  return typeof value === "string" ? value : null;
};

/**
 * Splits a bash result into the command's stdout, its stderr and how it ended. The stderr starts at
 * the last `[stderr]` line (stdout comes first, so a stdout that printed the marker itself stays
 * stdout unless stderr is empty: then its tail is shown as stderr, a rare and harmless mix-up).
 */
export function parseCommandResult(text: string, isError: boolean): { output: string; stderr: string; end: TCommandEnd | null; truncated: boolean } {
  const lines = text.split("\n");
  let end: TCommandEnd | null = null;
  const last = lines.at(-1) ?? "";
  let match: RegExpExecArray | null;
  if ((match = EXIT_LINE.exec(last))) end = { type: "exit", code: Number(match[1]) };
  else if ((match = TIMEOUT_LINE.exec(last))) end = { type: "timeout", afterMs: Number(match[1]) };
  else if ((match = KILLED_LINE.exec(last))) end = { type: "killed", signal: match[1] ?? null };
  if (end) lines.pop();
  // a result that is not an error is a command that exited 0 (the tool says nothing about it then)
  else if (!isError) end = { type: "exit", code: 0 };
  const truncated = lines.at(-1) === TRUNCATED_LINE;
  if (truncated) lines.pop();
  const marker = lines.lastIndexOf(STDERR_LINE);
  const stderr = marker >= 0 ? lines.splice(marker).slice(1).join("\n") : "";
  const output = lines.join("\n");
  return { output: output === NO_OUTPUT && !isError ? "" : output, stderr, end, truncated };
}

export function toolCallView(item: TToolCallItem): TToolCallView {
  const output = item.result ? blocksText(item.result.blocks) : null;
  if (item.source === "builtin") {
    const command = stringField(item.input, "command");
    if (item.name === "bash" && command !== null) {
      if (output === null) return { kind: "terminal", command, output: "", stderr: "", end: null, truncated: false };
      // an interrupt, a denial or a sandbox failure answers the call in words of its own: not the command's output
      if (item.state === "interrupted" || item.state === "denied") return { kind: "terminal", command, output, stderr: "", end: null, truncated: false };
      return { kind: "terminal", command, ...parseCommandResult(output, item.result!.isError) };
    }
    const path = stringField(item.input, "file_path");
    const oldText = stringField(item.input, "old_string");
    const newText = stringField(item.input, "new_string");
    if (item.name === "edit" && path !== null && oldText !== null && newText !== null) {
      const diff = diffLines(oldText.split("\n"), newText.split("\n"));
      return { kind: "edit", path, segments: diffSegments(diff, 3), ...diffStats(diff), replaceAll: item.input.replace_all === true };
    }
    const content = stringField(item.input, "content");
    if (item.name === "write" && path !== null && content !== null) {
      const lines = content.split("\n");
      if (lines.at(-1) === "") lines.pop();
      return { kind: "write", path, lines };
    }
  }
  return { kind: "generic", output };
}

/**
 * How long the call took, in milliseconds: from when it could run (its use, or its approval when
 * it asked first) to its result, as the log's times say (a sandbox started for it is included).
 * Null while it runs, for a call that never ran, or when a time is missing.
 */
export function toolCallDurationMs(item: TToolCallItem): number | null {
  if (!item.result || item.state === "denied") return null;
  const from = Date.parse(item.confirmation?.at ?? item.at ?? "");
  const to = Date.parse(item.result.at ?? "");
  if (Number.isNaN(from) || Number.isNaN(to) || to < from) return null;
  return to - from;
}

/** `850 ms`, `4.2 s`, `3 min 5 s`. */
export function formatDuration(ms: number): string {
  if (ms < 1_000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1_000).toFixed(ms < 10_000 ? 1 : 0)} s`;
  const minutes = Math.floor(ms / 60_000);
  const seconds = Math.round((ms % 60_000) / 1_000);
  return seconds === 0 ? `${minutes} min` : `${minutes} min ${seconds} s`;
}

/** How a command ended, in a few words: `exit 0`, `exit 2`, `timed out after 120 s`, `killed by SIGKILL`. */
export function describeCommandEnd(end: TCommandEnd): string {
  switch (end.type) {
    case "exit":
      return `exit ${end.code}`;
    case "timeout":
      return `timed out after ${formatDuration(end.afterMs)}`;
    case "killed":
      return end.signal ? `killed by ${end.signal}` : "killed";
  }
}
