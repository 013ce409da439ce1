import { z } from "zod";
import { fail, isBinary, ok, workspacePath } from "./shared";
import type { BuiltinTool } from "./types";

export const ZEditInputSchema = z
  .strictObject({
    file_path: z.string().min(1, "must not be empty"),
    old_string: z.string().min(1, "must not be empty"),
    new_string: z.string(),
    replace_all: z.boolean().optional(),
  })
  .refine((input) => input.old_string !== input.new_string, {
    message: "new_string must differ from old_string",
    path: ["new_string"],
  });

export type TEditInput = z.infer<typeof ZEditInputSchema>;

export const editTool: BuiltinTool<TEditInput> = {
  name: "edit",
  inputSchema: ZEditInputSchema,
  idempotent: false, // a second run finds old_string gone (or replaces a new occurrence)
  definition: {
    name: "edit",
    description:
      "Replace text in a file in the sandbox workspace. old_string must match the file exactly " +
      "(including whitespace) and occur exactly once, unless replace_all is true.",
    input_schema: {
      type: "object",
      properties: {
        file_path: { type: "string", description: "Path under /workspace (absolute, or relative to /workspace)." },
        old_string: { type: "string", description: "The exact text to replace." },
        new_string: { type: "string", description: "The replacement text." },
        replace_all: { type: "boolean", description: "Replace every occurrence (default false)." },
      },
      required: ["file_path", "old_string", "new_string"],
      additionalProperties: false,
    },
  },
  async execute(sandbox, input) {
    const where = workspacePath(input.file_path);
    const content = await sandbox.readFile(where);
    if (isBinary(content)) return fail(`${where} is a binary file; edit only changes text files.`);
    const pieces = content.toString("utf8").split(input.old_string);
    const occurrences = pieces.length - 1;
    if (occurrences === 0) {
      return fail(`old_string was not found in ${where}. Read the file and copy the text exactly, including whitespace.`);
    }
    if (occurrences > 1 && !input.replace_all) {
      return fail(
        `old_string occurs ${occurrences} times in ${where}. Include more surrounding text to make it ` +
          "unique, or set replace_all to true.",
      );
    }
    await sandbox.writeFile(where, pieces.join(input.new_string));
    return ok(`Edited ${where}: replaced ${occurrences} occurrence${occurrences === 1 ? "" : "s"}.`);
  },
};
