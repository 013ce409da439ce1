import { z } from "zod";
import { capText } from "../sandbox/capped-output";
import { memoryMountTarget, toSandboxPath, toWorkspaceRelative } from "../sandbox/paths";
import { MEMORY_MOUNT_ROOT } from "../sandbox/types";
import type { ExecResult } from "../sandbox/types";
import type { ToolResult } from "./types";

/** Upper bound on the text one tool call returns to the model. */
export const MAX_TOOL_OUTPUT_CHARS = 50_000;

/** Strings that travel to the sandbox NUL-separated on stdin cannot contain NUL themselves. */
export const ZNoNulString = z
  .string()
  .min(1, "must not be empty")
  .refine((value) => !value.includes("\0"), "must not contain NUL bytes");

export function ok(content: string): ToolResult {
  return { content: capText(content, MAX_TOOL_OUTPUT_CHARS).text, isError: false };
}

export function fail(content: string): ToolResult {
  return { content: capText(content, MAX_TOOL_OUTPUT_CHARS).text, isError: true };
}

/**
 * The absolute sandbox path the model should see: under /workspace, or under a memory store's
 * mount (`/mnt/memory/<name>/…`, which the sandbox resolves to the mount); throws
 * path_outside_workspace for anything else.
 */
export function workspacePath(filePath: string): string {
  const mounted = memoryMountTarget(filePath);
  if (mounted) return `${MEMORY_MOUNT_ROOT}/${mounted.name}${mounted.relative ? `/${mounted.relative}` : ""}`;
  return toSandboxPath(toWorkspaceRelative(filePath));
}

/** Heuristic used by `git` and `grep`: a NUL byte in the first 8 KiB means binary. */
export function isBinary(content: Buffer): boolean {
  return content.subarray(0, 8192).includes(0);
}

/** Arguments for a fixed script that reads them with `read -r -d ''`. */
export function nulSeparated(...values: string[]): string {
  return values.map((value) => `${value}\0`).join("");
}

export function outputNote(result: ExecResult): string {
  return result.truncated ? "\n(output was truncated in the middle)" : "";
}

/** Input of the search tools (glob, grep): a pattern, and where to search (default /workspace). */
export const ZPatternInputSchema = z.strictObject({
  pattern: ZNoNulString,
  path: ZNoNulString.optional(),
});

export type TPatternInput = z.infer<typeof ZPatternInputSchema>;

/** The JSON schema the model sees for a search tool's input. */
export function patternInputJsonSchema(descriptions: { pattern: string; path: string }) {
  return {
    type: "object" as const,
    properties: {
      pattern: { type: "string", description: descriptions.pattern },
      path: { type: "string", description: descriptions.path },
    },
    required: ["pattern"],
    additionalProperties: false as const,
  };
}
