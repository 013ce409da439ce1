import { describe, expect, it } from "vitest";
import { FakeSandboxProvider } from "@/lib/sandbox/fake";
import type { ExecResult } from "@/lib/sandbox";
import { executeTool } from "@/lib/tools";
import { GLOB_SCRIPT, MAX_GLOB_RESULTS } from "@/lib/tools/glob";
import { GREP_SCRIPT, MAX_GREP_LINES } from "@/lib/tools/grep";

const sandboxReturning = (result: Partial<ExecResult>) =>
  new FakeSandboxProvider({ exec: () => result }).provision({ sessionId: "s" });

const HOSTILE = "$(touch /workspace/pwned)'\"`;*";

describe("glob tool", () => {
  it("runs a fixed script and hands the pattern and directory over stdin", async () => {
    const sandbox = await sandboxReturning({ stdout: "/workspace/src/a.ts\n/workspace/src/b.ts\n" });
    const result = await executeTool(sandbox, "glob", { pattern: HOSTILE, path: "src" });
    expect(result).toEqual({ content: "/workspace/src/a.ts\n/workspace/src/b.ts", isError: false });
    expect(sandbox.execCalls).toEqual([{ command: GLOB_SCRIPT, options: { stdin: `${HOSTILE}\0/workspace/src\0` } }]);
  });

  it("says when nothing matched, when the directory is missing, and when results were cut", async () => {
    expect((await executeTool(await sandboxReturning({}), "glob", { pattern: "*.md" })).content).toBe(
      "No files match *.md in /workspace.",
    );
    const missing = await executeTool(await sandboxReturning({ exitCode: 2, stderr: "no such directory: /x\n" }), "glob", {
      pattern: "*",
      path: "/x",
    });
    expect(missing).toEqual({ content: "no such directory: /x", isError: true });
    const many = await executeTool(await sandboxReturning({ stdout: "/workspace/a\n…more\n" }), "glob", { pattern: "**" });
    expect(many.content).toBe(`/workspace/a\n… more than ${MAX_GLOB_RESULTS} matches; use a narrower pattern or path.`);
  });

  it.each([
    [{}, "pattern: Invalid input: expected string"],
    [{ pattern: "" }, "pattern: must not be empty"],
    [{ pattern: "a\0b" }, "pattern: must not contain NUL bytes"],
    [{ pattern: "*", cwd: "/" }, 'unknown field "cwd" (allowed: pattern, path)'],
  ])("rejects %j", async (input, message) => {
    const result = await executeTool(await sandboxReturning({}), "glob", input);
    expect(result).toMatchObject({ isError: true, errorCode: "invalid_input" });
    expect(result.content).toContain(message);
  });
});

describe("grep tool", () => {
  it("runs a fixed script and hands the pattern and path over stdin", async () => {
    const sandbox = await sandboxReturning({ stdout: "/workspace/a.ts:3:// TODO\n" });
    const result = await executeTool(sandbox, "grep", { pattern: HOSTILE });
    expect(result).toEqual({ content: "/workspace/a.ts:3:// TODO", isError: false });
    expect(sandbox.execCalls).toEqual([{ command: GREP_SCRIPT, options: { stdin: `${HOSTILE}\0/workspace\0` } }]);
  });

  it("distinguishes no match from a failed search", async () => {
    expect(await executeTool(await sandboxReturning({ exitCode: 1 }), "grep", { pattern: "zzz" })).toEqual({
      content: "No matches for zzz in /workspace.",
      isError: false,
    });
    expect(
      await executeTool(await sandboxReturning({ exitCode: 2, stderr: "regex parse error\n" }), "grep", { pattern: "(" }),
    ).toEqual({ content: "regex parse error", isError: true });
  });

  it("caps the number of matching lines", async () => {
    const stdout = Array.from({ length: MAX_GREP_LINES + 7 }, (_, i) => `/workspace/f:${i + 1}:x`).join("\n");
    const result = await executeTool(await sandboxReturning({ stdout }), "grep", { pattern: "x" });
    const lines = result.content.split("\n");
    expect(lines).toHaveLength(MAX_GREP_LINES + 1);
    expect(lines.at(-1)).toContain("7 more matching lines");
  });

  it.each([
    [{ path: "src" }, "pattern: Invalid input: expected string"],
    [{ pattern: "x", include: "*.ts" }, 'unknown field "include"'],
  ])("rejects %j", async (input, message) => {
    const result = await executeTool(await sandboxReturning({}), "grep", input);
    expect(result).toMatchObject({ isError: true, errorCode: "invalid_input" });
    expect(result.content).toContain(message);
  });
});
