import { z } from "zod";
import { fail, isBinary, ok, workspacePath } from "./shared";
import type { BuiltinTool } from "./types";

/** Lines returned when no view_range is given, and the longest line shown in full. */
export const MAX_READ_LINES = 2000;
const MAX_LINE_CHARS = 2000;

export const ZReadInputSchema = z.strictObject({
  file_path: z.string().min(1, "must not be empty"),
  view_range: z
    .tuple([z.number().int().min(1), z.number().int().min(-1)])
    .refine(([start, end]) => end === -1 || end >= start, "end must be -1 or at least start")
    .optional(),
});

export type TReadInput = z.infer<typeof ZReadInputSchema>;

export const readTool: BuiltinTool<TReadInput> = {
  name: "read",
  inputSchema: ZReadInputSchema,
  idempotent: true,
  definition: {
    name: "read",
    description:
      "Read a text file in the sandbox workspace. Returns lines numbered like `cat -n`. " +
      `Without view_range at most ${MAX_READ_LINES} lines are returned; use view_range to page through longer files.`,
    input_schema: {
      type: "object",
      properties: {
        file_path: { type: "string", description: "Path under /workspace (absolute, or relative to /workspace)." },
        view_range: {
          type: "array",
          items: { type: "integer" },
          minItems: 2,
          maxItems: 2,
          description: "[start, end]: 1-based, inclusive line numbers; end -1 reads to the end of the file.",
        },
      },
      required: ["file_path"],
      additionalProperties: false,
    },
  },
  async execute(sandbox, input) {
    const where = workspacePath(input.file_path);
    const content = await sandbox.readFile(where);
    if (isBinary(content)) return fail(`${where} is a binary file (${content.length} bytes); inspect it with bash.`);
    const lines = content.toString("utf8").split("\n");
    if (lines.at(-1) === "") lines.pop();
    if (lines.length === 0) return ok(`${where} is empty.`);

    const [start, requestedEnd] = input.view_range ?? [1, Math.min(lines.length, MAX_READ_LINES)];
    if (start > lines.length) {
      return fail(`view_range starts at line ${start}, but ${where} has ${lines.length} lines.`);
    }
    const end = requestedEnd === -1 ? lines.length : Math.min(requestedEnd, lines.length);
    const numbered = lines.slice(start - 1, end).map((line, index) => {
      const shown = line.length > MAX_LINE_CHARS ? `${line.slice(0, MAX_LINE_CHARS)}… [line truncated]` : line;
      return `${String(start + index).padStart(6)}\t${shown}`;
    });
    if (!input.view_range && lines.length > end) {
      numbered.push(`… ${lines.length - end} more lines (${lines.length} in total); use view_range to read them.`);
    }
    return ok(numbered.join("\n"));
  },
};
