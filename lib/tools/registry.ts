import type { z } from "zod";
import { isSandboxError } from "../sandbox/errors";
import type { Sandbox } from "../sandbox/types";
import { bashTool } from "./bash";
import { editTool } from "./edit";
import { globTool } from "./glob";
import { grepTool } from "./grep";
import { readTool } from "./read";
import type { BuiltinTool, ToolDefinition, ToolResult, ToolRunContext } from "./types";
import { writeTool } from "./write";

export const BUILTIN_TOOLS: readonly BuiltinTool[] = [bashTool, readTool, writeTool, editTool, globTool, grepTool];

export type BuiltinToolName = "bash" | "read" | "write" | "edit" | "glob" | "grep";

export const BUILTIN_TOOL_DEFINITIONS: readonly ToolDefinition[] = BUILTIN_TOOLS.map((tool) => tool.definition);

export function getTool(name: string): BuiltinTool | undefined {
  return BUILTIN_TOOLS.find((tool) => tool.name === name);
}

/**
 * Validates the model's input and runs the tool. Never throws: bad input, a refused path, a dead
 * sandbox and unexpected failures all come back as `isError: true`, with `errorCode` for the
 * harness (e.g. `sandbox_dead` means: provision a fresh sandbox for the next call).
 */
export async function executeTool(sandbox: Sandbox, name: string, rawInput: unknown, context: ToolRunContext = {}): Promise<ToolResult> {
  const tool = getTool(name);
  if (!tool) {
    const known = BUILTIN_TOOLS.map((t) => t.name).join(", ");
    return { content: `Unknown tool "${name}". Available tools: ${known}.`, isError: true, errorCode: "unknown_tool" };
  }
  const parsed = tool.inputSchema.safeParse(rawInput);
  if (!parsed.success) {
    return { content: formatInputError(tool, parsed.error), isError: true, errorCode: "invalid_input" };
  }
  try {
    return await tool.execute(sandbox, parsed.data, context);
  } catch (error) {
    if (isSandboxError(error)) return { content: error.message, isError: true, errorCode: error.code };
    return { content: `The ${name} tool failed with an internal error.`, isError: true, errorCode: "internal_error" };
  }
}

export function formatInputError(tool: BuiltinTool, error: z.ZodError): string {
  const allowed = Object.keys(tool.definition.input_schema.properties).join(", ");
  const problems = error.issues.map((issue) => {
    if (issue.code === "unrecognized_keys") {
      const keys = issue.keys.map((key) => `"${key}"`).join(", ");
      return `unknown field${issue.keys.length === 1 ? "" : "s"} ${keys} (allowed: ${allowed})`;
    }
    const where = issue.path.length > 0 ? issue.path.join(".") : "input";
    return `${where}: ${issue.message}`;
  });
  return `Invalid input for ${tool.name}: ${problems.join("; ")}.`;
}
