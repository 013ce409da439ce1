import { z } from "zod";
import type { ExecResult } from "../sandbox/types";
import { fail, ok } from "./shared";
import type { BuiltinTool } from "./types";

export const DEFAULT_BASH_TIMEOUT_MS = 120_000;
export const MAX_BASH_TIMEOUT_MS = 600_000;

export const ZBashInputSchema = z
  .strictObject({
    command: z.string().min(1, "must not be empty").optional(),
    restart: z.boolean().optional(),
    timeout_ms: z.number().int().min(1).max(MAX_BASH_TIMEOUT_MS).optional(),
  })
  .refine((input) => input.command !== undefined || input.restart === true, {
    message: "command is required unless restart is true",
    path: ["command"],
  });

export type TBashInput = z.infer<typeof ZBashInputSchema>;

const RESTART_MESSAGE =
  "Shell restarted. Every command already runs in a fresh shell: files under /workspace persist, " +
  "processes, shell variables and /tmp do not.";

/**
 * What the sandbox may reach, as the bash tool tells the model: the session's environment decides
 * (lib/harness/tool-network.ts). `self_hosted`: the command runs on a machine of the team's own
 * workers, whose network is theirs to decide.
 */
export type TBashNetwork = "none" | "limited" | "unrestricted" | "self_hosted";

const NETWORK_SENTENCE: Record<TBashNetwork, string> = {
  none: "There is no network access.",
  limited: "Network access is limited to the hosts the environment allows; other hosts are refused.",
  unrestricted: "The sandbox has network access.",
  self_hosted: "It runs on a machine of the environment's own workers, whose network access is what that machine allows.",
};

/** The bash tool's description for a sandbox with this network. */
export function bashDescription(network: TBashNetwork): string {
  return (
    "Run a bash command in the sandbox and return its output. The working directory is /workspace. " +
    "Each call is a fresh shell: files under /workspace persist between calls, but background " +
    `processes, environment changes and /tmp do not. ${NETWORK_SENTENCE[network]} Output is ` +
    "truncated in the middle when very long."
  );
}

export const bashTool: BuiltinTool<TBashInput> = {
  name: "bash",
  inputSchema: ZBashInputSchema,
  idempotent: false,
  definition: {
    name: "bash",
    description: bashDescription("none"),
    input_schema: {
      type: "object",
      properties: {
        command: { type: "string", description: "The bash command to run." },
        restart: { type: "boolean", description: "Restart the shell. May be sent without a command." },
        timeout_ms: {
          type: "integer",
          minimum: 1,
          maximum: MAX_BASH_TIMEOUT_MS,
          description: `Wall-clock limit in milliseconds (default ${DEFAULT_BASH_TIMEOUT_MS}).`,
        },
      },
      required: [],
      additionalProperties: false,
    },
  },
  async execute(sandbox, input, context = {}) {
    if (input.command === undefined) return ok(RESTART_MESSAGE);
    const timeoutMs = input.timeout_ms ?? DEFAULT_BASH_TIMEOUT_MS;
    const result = await sandbox.exec(input.command, context.onOutput ? { timeoutMs, onOutput: context.onOutput } : { timeoutMs });
    const text = formatExecResult(result, timeoutMs);
    return result.timedOut || result.exitCode !== 0 ? fail(text) : ok(text);
  },
};

/**
 * The line that starts the command's stderr in its result, after its stdout. Decision: the result
 * stays one text (what the model reads), and the marker tells the model and the session page
 * (lib/timeline/tool-call-view.ts) which lines the command wrote to stderr; results written before
 * it had none, and show their output as one stream.
 */
export const STDERR_MARKER = "[stderr]";

export function formatExecResult(result: ExecResult, timeoutMs: number): string {
  const stdout = result.stdout.trimEnd();
  const stderr = result.stderr.trimEnd();
  const parts = [stdout, stderr.length > 0 ? `${STDERR_MARKER}\n${stderr}` : ""].filter((part) => part.length > 0);
  if (result.truncated) parts.push("(output was truncated in the middle)");
  if (result.timedOut) parts.push(`Command timed out after ${timeoutMs} ms and was killed.`);
  else if (result.exitCode === null) parts.push(`Command was killed${result.signal ? ` by ${result.signal}` : ""}.`);
  else if (result.exitCode !== 0) parts.push(`Exit code ${result.exitCode}`);
  return parts.length > 0 ? parts.join("\n") : "(no output)";
}
