import { describe, expect, it } from "vitest";
import { FakeSandboxProvider } from "@/lib/sandbox/fake";
import { executeTool } from "@/lib/tools";

const newSandbox = () => new FakeSandboxProvider({ files: { "old.txt": "old" } }).provision({ sessionId: "s" });

describe("write tool", () => {
  it("creates and overwrites files", async () => {
    const sandbox = await newSandbox();
    expect(await executeTool(sandbox, "write", { file_path: "dir/new.txt", content: "héllo" })).toEqual({
      content: "Wrote 6 bytes to /workspace/dir/new.txt.",
      isError: false,
    });
    await executeTool(sandbox, "write", { file_path: "/workspace/old.txt", content: "" });
    expect(sandbox.files.get("dir/new.txt")?.toString()).toBe("héllo");
    expect(sandbox.files.get("old.txt")?.toString()).toBe("");
  });

  it("refuses paths outside the workspace", async () => {
    const sandbox = await newSandbox();
    const result = await executeTool(sandbox, "write", { file_path: "/etc/passwd", content: "x" });
    expect(result).toMatchObject({ isError: true, errorCode: "path_outside_workspace" });
    expect(sandbox.files.size).toBe(1);
  });

  it("turns a dead sandbox into an error result carrying the code", async () => {
    const sandbox = await newSandbox();
    sandbox.dieOnNextCall();
    expect(await executeTool(sandbox, "write", { file_path: "a", content: "x" })).toMatchObject({
      isError: true,
      errorCode: "sandbox_dead",
    });
  });

  it.each([
    [{ file_path: "a" }, "content: Invalid input: expected string"],
    [{ file_path: "", content: "x" }, "file_path: must not be empty"],
    [{ file_path: "a", content: "x", mode: "0644" }, 'unknown field "mode"'],
  ])("rejects %j", async (input, message) => {
    const result = await executeTool(await newSandbox(), "write", input);
    expect(result).toMatchObject({ isError: true, errorCode: "invalid_input" });
    expect(result.content).toContain(message);
  });
});
