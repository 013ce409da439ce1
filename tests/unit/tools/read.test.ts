import { describe, expect, it } from "vitest";
import { FakeSandboxProvider } from "@/lib/sandbox/fake";
import { executeTool } from "@/lib/tools";
import { MAX_READ_LINES } from "@/lib/tools/read";

const lines = (n: number) => Array.from({ length: n }, (_, i) => `line ${i + 1}`).join("\n") + "\n";
const sandboxWith = (files: Record<string, string | Buffer>) => new FakeSandboxProvider({ files }).provision({ sessionId: "s" });

describe("read tool", () => {
  it("returns numbered lines like cat -n", async () => {
    const sandbox = await sandboxWith({ "src/a.ts": "const a = 1;\n\tindented\n" });
    expect(await executeTool(sandbox, "read", { file_path: "/workspace/src/a.ts" })).toEqual({
      content: "     1\tconst a = 1;\n     2\t\tindented",
      isError: false,
    });
  });

  it("honours view_range, with -1 meaning the end of the file", async () => {
    const sandbox = await sandboxWith({ "f.txt": lines(10) });
    const middle = await executeTool(sandbox, "read", { file_path: "f.txt", view_range: [3, 4] });
    expect(middle.content).toBe("     3\tline 3\n     4\tline 4");
    const tail = await executeTool(sandbox, "read", { file_path: "f.txt", view_range: [9, -1] });
    expect(tail.content).toBe("     9\tline 9\n    10\tline 10");
  });

  it("stops at the line limit and says how to read on", async () => {
    const sandbox = await sandboxWith({ "big.txt": lines(MAX_READ_LINES + 5) });
    const result = await executeTool(sandbox, "read", { file_path: "big.txt" });
    const shown = result.content.split("\n");
    expect(shown).toHaveLength(MAX_READ_LINES + 1);
    expect(shown.at(-1)).toContain("5 more lines");
    expect(shown.at(-1)).toContain("view_range");
  });

  it("reports a range past the end, a missing file, a binary file and an empty file", async () => {
    const sandbox = await sandboxWith({ "f.txt": lines(2), "bin.dat": Buffer.from([1, 0, 2]), "empty.txt": "" });
    expect(await executeTool(sandbox, "read", { file_path: "f.txt", view_range: [5, 6] })).toMatchObject({
      isError: true,
      content: "view_range starts at line 5, but /workspace/f.txt has 2 lines.",
    });
    expect(await executeTool(sandbox, "read", { file_path: "nope.txt" })).toEqual({
      content: "/workspace/nope.txt does not exist",
      isError: true,
      errorCode: "not_found",
    });
    expect((await executeTool(sandbox, "read", { file_path: "bin.dat" })).content).toMatch(/binary file/);
    expect(await executeTool(sandbox, "read", { file_path: "empty.txt" })).toEqual({
      content: "/workspace/empty.txt is empty.",
      isError: false,
    });
  });

  it("refuses paths outside the workspace", async () => {
    const sandbox = await sandboxWith({});
    expect(await executeTool(sandbox, "read", { file_path: "../../etc/passwd" })).toMatchObject({
      isError: true,
      errorCode: "path_outside_workspace",
    });
  });

  it.each([
    [{}, "file_path: Invalid input: expected string"],
    [{ file_path: "a", view_range: [3, 1] }, "view_range: end must be -1 or at least start"],
    [{ file_path: "a", view_range: [0, 5] }, "view_range.0:"],
    [{ file_path: "a", view_range: [1] }, "view_range"],
    [{ file_path: "a", offset: 3 }, 'unknown field "offset" (allowed: file_path, view_range)'],
  ])("rejects %j", async (input, message) => {
    const sandbox = await sandboxWith({ a: "x" });
    const result = await executeTool(sandbox, "read", input);
    expect(result).toMatchObject({ isError: true, errorCode: "invalid_input" });
    expect(result.content).toContain(message);
  });
});
