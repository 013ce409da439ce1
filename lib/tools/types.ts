import type { z } from "zod";
import type { SandboxErrorCode } from "../sandbox/errors";
import type { Sandbox, TExecOutputListener } from "../sandbox/types";

export type ToolErrorCode = SandboxErrorCode | "invalid_input" | "unknown_tool" | "internal_error";

export interface ToolResult {
  /** Text for the model. */
  content: string;
  isError: boolean;
  /** Set when the failure came from the sandbox or the input; the harness branches on it. */
  errorCode?: ToolErrorCode;
}

/** The tool as the model sees it (Anthropic Messages API `tools[]` entry). */
export interface ToolDefinition {
  name: string;
  description: string;
  input_schema: {
    type: "object";
    properties: Record<string, Record<string, unknown>>;
    required: string[];
    additionalProperties: false;
  };
}

export interface BuiltinTool<TInput = unknown> {
  readonly name: string;
  /** Validates the model's input; strict: unknown fields are rejected. */
  readonly inputSchema: z.ZodType<TInput>;
  readonly definition: ToolDefinition;
  /**
   * Safe to run again after an interruption left its result unrecorded: running it twice has the
   * same effect as once.
   */
  readonly idempotent: boolean;
  /** May throw SandboxError; `executeTool` turns that into an error result. */
  execute(sandbox: Sandbox, input: TInput, context?: ToolRunContext): Promise<ToolResult>;
}

/** What the caller of a tool offers besides its input. */
export interface ToolRunContext {
  /** Told the output of a command as it runs (only `bash` streams); never the result itself. */
  onOutput?: TExecOutputListener;
}
