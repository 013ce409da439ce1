import { z } from "zod";
import { ok, workspacePath } from "./shared";
import type { BuiltinTool } from "./types";

export const ZWriteInputSchema = z.strictObject({
  file_path: z.string().min(1, "must not be empty"),
  content: z.string(),
});

export type TWriteInput = z.infer<typeof ZWriteInputSchema>;

export const writeTool: BuiltinTool<TWriteInput> = {
  name: "write",
  inputSchema: ZWriteInputSchema,
  idempotent: true, // writing the same content twice leaves the same file
  definition: {
    name: "write",
    description:
      "Create or overwrite a file in the sandbox workspace with the given content. Missing parent " +
      "directories are created. Prefer edit for changing part of an existing file.",
    input_schema: {
      type: "object",
      properties: {
        file_path: { type: "string", description: "Path under /workspace (absolute, or relative to /workspace)." },
        content: { type: "string", description: "The complete new content of the file." },
      },
      required: ["file_path", "content"],
      additionalProperties: false,
    },
  },
  async execute(sandbox, input) {
    const where = workspacePath(input.file_path);
    await sandbox.writeFile(where, input.content);
    return ok(`Wrote ${Buffer.byteLength(input.content)} bytes to ${where}.`);
  },
};
