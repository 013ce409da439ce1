import path from "node:path";
import { WORKSPACE_DIR } from "../sandbox/types";
import { fail, nulSeparated, ok, outputNote, patternInputJsonSchema, ZPatternInputSchema, type TPatternInput } from "./shared";
import type { BuiltinTool } from "./types";

export const MAX_GREP_LINES = 500;

export const ZGrepInputSchema = ZPatternInputSchema;

export type TGrepInput = TPatternInput;

/**
 * Fixed script; the pattern and path arrive on stdin. ripgrep when the sandbox has it, grep -E
 * otherwise; both skip hidden and binary files (ripgrep also git-ignored ones).
 * Exit codes: 0 matches, 1 none, 2 error.
 */
export const GREP_SCRIPT = [
  "IFS= read -r -d '' pattern; IFS= read -r -d '' target",
  "if command -v rg >/dev/null 2>&1; then",
  '  exec rg --sort=path --line-number --no-heading --with-filename --color=never --max-columns=500 --max-columns-preview -e "$pattern" -- "$target"',
  "fi",
  'exec grep -rnHIE --exclude=".*" --exclude-dir=".*" -e "$pattern" -- "$target"',
].join("\n");

export const grepTool: BuiltinTool<TGrepInput> = {
  name: "grep",
  inputSchema: ZGrepInputSchema,
  idempotent: true,
  definition: {
    name: "grep",
    description:
      "Search file contents in the sandbox with a regular expression (ripgrep syntax) and return " +
      `matching lines as path:line:text, at most ${MAX_GREP_LINES}. Searches /workspace unless path is given; ` +
      "skips hidden, binary and git-ignored files.",
    input_schema: patternInputJsonSchema({
      pattern: "Regular expression to search for.",
      path: "File or directory to search (default /workspace).",
    }),
  },
  async execute(sandbox, input) {
    const target = path.posix.resolve(WORKSPACE_DIR, input.path ?? ".");
    const result = await sandbox.exec(GREP_SCRIPT, { stdin: nulSeparated(input.pattern, target) });
    if (result.timedOut) return fail("grep timed out; use a narrower path or pattern.");
    const lines = result.stdout.split("\n").filter((line) => line.length > 0);
    if (result.exitCode === 1 && lines.length === 0) return ok(`No matches for ${input.pattern} in ${target}.`);
    if (lines.length === 0) return fail(result.stderr.trim() || `grep failed (exit code ${result.exitCode})`);
    const shown = lines.slice(0, MAX_GREP_LINES);
    if (lines.length > MAX_GREP_LINES) {
      shown.push(`… ${lines.length - MAX_GREP_LINES} more matching lines; use a narrower pattern or path.`);
    }
    if (result.exitCode === 2 && result.stderr.trim()) {
      shown.push(`(some files could not be searched: ${result.stderr.trim().split("\n")[0]})`);
    }
    return ok(shown.join("\n") + outputNote(result));
  },
};
