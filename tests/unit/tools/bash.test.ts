import { describe, expect, it } from "vitest";
import { FakeSandboxProvider } from "@/lib/sandbox/fake";
import type { FakeExecHandler } from "@/lib/sandbox/fake";
import { executeTool } from "@/lib/tools";

const sandboxWith = (exec: FakeExecHandler) => new FakeSandboxProvider({ exec }).provision({ sessionId: "s" });

describe("bash tool", () => {
  it("runs the command and returns stdout, then stderr under a [stderr] line", async () => {
    const sandbox = await sandboxWith((command) => ({ stdout: `ran: ${command}\n`, stderr: "warn\n" }));
    const result = await executeTool(sandbox, "bash", { command: "make test" });
    expect(result).toEqual({ content: "ran: make test\n[stderr]\nwarn", isError: false });
  });

  it("passes timeout_ms to the sandbox and reports a timeout as an error", async () => {
    const sandbox = await sandboxWith(() => ({ exitCode: null, timedOut: true, stdout: "partial" }));
    const result = await executeTool(sandbox, "bash", { command: "sleep 99", timeout_ms: 1500 });
    expect(sandbox.execCalls[0]?.options).toEqual({ timeoutMs: 1500 });
    expect(result.isError).toBe(true);
    expect(result.content).toBe("partial\nCommand timed out after 1500 ms and was killed.");
  });

  it("reports a non-zero exit code as an error", async () => {
    const sandbox = await sandboxWith(() => ({ exitCode: 2, stderr: "no such file" }));
    expect(await executeTool(sandbox, "bash", { command: "ls nope" })).toEqual({
      content: "[stderr]\nno such file\nExit code 2",
      isError: true,
    });
  });

  it("says so when output was truncated, and when there was none", async () => {
    const truncated = await sandboxWith(() => ({ stdout: "a…b", truncated: true }));
    expect((await executeTool(truncated, "bash", { command: "yes" })).content).toContain("truncated");
    const silent = await sandboxWith(() => ({}));
    expect((await executeTool(silent, "bash", { command: "true" })).content).toBe("(no output)");
  });

  it("accepts restart without a command and runs nothing", async () => {
    const sandbox = await sandboxWith(() => ({}));
    const result = await executeTool(sandbox, "bash", { restart: true });
    expect(result.isError).toBe(false);
    expect(result.content).toMatch(/restarted/i);
    expect(sandbox.execCalls).toHaveLength(0);
  });

  it.each([
    [{}, "command: command is required unless restart is true"],
    [{ command: "ls", cwd: "/" }, 'unknown field "cwd"'],
    [{ command: 42 }, "command: Invalid input: expected string"],
    [{ command: "ls", timeout_ms: 0 }, "timeout_ms:"],
    [{ command: "ls", timeout_ms: 10_000_000 }, "timeout_ms:"],
    ["ls", "input: Invalid input: expected object"],
  ])("rejects %j", async (input, message) => {
    const sandbox = await sandboxWith(() => ({}));
    const result = await executeTool(sandbox, "bash", input);
    expect(result).toMatchObject({ isError: true, errorCode: "invalid_input" });
    expect(result.content).toContain("Invalid input for bash:");
    expect(result.content).toContain(message);
    expect(sandbox.execCalls).toHaveLength(0);
  });
});
