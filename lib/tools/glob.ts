import path from "node:path";
import { WORKSPACE_DIR } from "../sandbox/types";
import { fail, nulSeparated, ok, patternInputJsonSchema, ZPatternInputSchema, type TPatternInput } from "./shared";
import type { BuiltinTool } from "./types";

export const MAX_GLOB_RESULTS = 1000;

export const ZGlobInputSchema = ZPatternInputSchema;

export type TGlobInput = TPatternInput;

/**
 * Fixed script; the pattern and directory arrive on stdin, never inside the command string.
 * With IFS empty, the unquoted $pattern undergoes pathname expansion only (no word splitting,
 * and expansion results are never evaluated as code).
 */
export const GLOB_SCRIPT = [
  "IFS= read -r -d '' pattern; IFS= read -r -d '' dir",
  'cd -- "$dir" 2>/dev/null || { printf "no such directory: %s\\n" "$dir" >&2; exit 2; }',
  "shopt -s globstar nullglob extglob",
  "IFS=; n=0",
  "for f in $pattern; do",
  '  [ -e "$f" ] || [ -L "$f" ] || continue',
  `  n=$((n+1)); [ "$n" -gt ${MAX_GLOB_RESULTS} ] && { echo "…more"; break; }`,
  '  [ -d "$f" ] && f="$f/"',
  '  case "$f" in /*) printf "%s\\n" "$f" ;; *) printf "%s\\n" "${PWD%/}/$f" ;; esac',
  "done",
  "exit 0",
].join("\n");

export const globTool: BuiltinTool<TGlobInput> = {
  name: "glob",
  inputSchema: ZGlobInputSchema,
  idempotent: true,
  definition: {
    name: "glob",
    description:
      "Find files by name pattern in the sandbox, e.g. `**/*.ts` or `src/*.json` (`**` matches any " +
      "number of directories; hidden files are skipped). Returns absolute paths, sorted, directories " +
      `ending in "/", at most ${MAX_GLOB_RESULTS}.`,
    input_schema: patternInputJsonSchema({
      pattern: "Glob pattern, relative to path (or absolute).",
      path: "Directory to search from (default /workspace).",
    }),
  },
  async execute(sandbox, input) {
    const dir = path.posix.resolve(WORKSPACE_DIR, input.path ?? ".");
    const result = await sandbox.exec(GLOB_SCRIPT, { stdin: nulSeparated(input.pattern, dir) });
    if (result.timedOut) return fail("glob timed out; use a narrower pattern or path.");
    if (result.exitCode !== 0) return fail(result.stderr.trim() || `glob failed (exit code ${result.exitCode})`);
    const lines = result.stdout.split("\n").filter((line) => line.length > 0);
    if (lines.length === 0) return ok(`No files match ${input.pattern} in ${dir}.`);
    if (lines.at(-1) === "…more") {
      lines[lines.length - 1] = `… more than ${MAX_GLOB_RESULTS} matches; use a narrower pattern or path.`;
    }
    return ok(lines.join("\n"));
  },
};
