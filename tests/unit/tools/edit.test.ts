import { describe, expect, it } from "vitest";
import { FakeSandboxProvider } from "@/lib/sandbox/fake";
import { executeTool } from "@/lib/tools";

const newSandbox = () =>
  new FakeSandboxProvider({ files: { "a.ts": "let a = 1;\nlet b = 2;\nconst c = '$&';\n" } }).provision({ sessionId: "s" });

describe("edit tool", () => {
  it("replaces a unique occurrence, taking new_string literally", async () => {
    const sandbox = await newSandbox();
    const result = await executeTool(sandbox, "edit", { file_path: "a.ts", old_string: "let b = 2;", new_string: "let b = '$1';" });
    expect(result).toEqual({ content: "Edited /workspace/a.ts: replaced 1 occurrence.", isError: false });
    expect(sandbox.files.get("a.ts")?.toString()).toBe("let a = 1;\nlet b = '$1';\nconst c = '$&';\n");
  });

  it("refuses an ambiguous old_string unless replace_all is set", async () => {
    const sandbox = await newSandbox();
    const ambiguous = await executeTool(sandbox, "edit", { file_path: "a.ts", old_string: "let", new_string: "var" });
    expect(ambiguous.isError).toBe(true);
    expect(ambiguous.content).toContain("occurs 2 times");
    expect(sandbox.files.get("a.ts")?.toString()).toContain("let a");

    const all = await executeTool(sandbox, "edit", { file_path: "a.ts", old_string: "let", new_string: "var", replace_all: true });
    expect(all.content).toBe("Edited /workspace/a.ts: replaced 2 occurrences.");
    expect(sandbox.files.get("a.ts")?.toString()).toBe("var a = 1;\nvar b = 2;\nconst c = '$&';\n");
  });

  it("fails clearly when old_string is missing, and when the file is", async () => {
    const sandbox = await newSandbox();
    const missing = await executeTool(sandbox, "edit", { file_path: "a.ts", old_string: "let z", new_string: "x" });
    expect(missing).toMatchObject({ isError: true });
    expect(missing.content).toContain("old_string was not found in /workspace/a.ts");
    expect(await executeTool(sandbox, "edit", { file_path: "b.ts", old_string: "x", new_string: "y" })).toMatchObject({
      isError: true,
      errorCode: "not_found",
    });
  });

  it.each([
    [{ file_path: "a.ts", old_string: "", new_string: "x" }, "old_string: must not be empty"],
    [{ file_path: "a.ts", old_string: "x", new_string: "x" }, "new_string: new_string must differ from old_string"],
    [{ file_path: "a.ts", old_string: "x" }, "new_string: Invalid input: expected string"],
    [{ file_path: "a.ts", old_string: "x", new_string: "y", all: true }, 'unknown field "all"'],
  ])("rejects %j", async (input, message) => {
    const result = await executeTool(await newSandbox(), "edit", input);
    expect(result).toMatchObject({ isError: true, errorCode: "invalid_input" });
    expect(result.content).toContain(message);
  });
});
