import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Sandbox } from "@/lib/sandbox";
import { executeTool } from "@/lib/tools";
import { makeLocalFixture, requireBubblewrap, type LocalFixture } from "./local-fixture";

describe("built-in tools against the local sandbox", () => {
  let fixture: LocalFixture;
  let sandbox: Sandbox;

  beforeAll(async () => {
    requireBubblewrap();
    fixture = await makeLocalFixture();
    sandbox = await fixture.provider.provision({ sessionId: "sesn_tools" });
    await executeTool(sandbox, "write", { file_path: "src/a.ts", content: "const a = 1;\n// TODO: first\n" });
    await executeTool(sandbox, "write", { file_path: "src/lib/b.ts", content: "export const b = 2; // TODO: second\n" });
    await executeTool(sandbox, "write", { file_path: "README.md", content: "# readme\n" });
    await executeTool(sandbox, "write", { file_path: ".hidden/c.ts", content: "// TODO: hidden\n" });
  });
  afterAll(async () => {
    await fixture?.cleanup();
  });

  it("glob matches across directories, skipping hidden ones", async () => {
    expect(await executeTool(sandbox, "glob", { pattern: "**/*.ts" })).toEqual({
      content: "/workspace/src/a.ts\n/workspace/src/lib/b.ts",
      isError: false,
    });
    expect((await executeTool(sandbox, "glob", { pattern: "*", path: "/workspace/src" })).content).toBe(
      "/workspace/src/a.ts\n/workspace/src/lib/",
    );
    expect((await executeTool(sandbox, "glob", { pattern: "*.py" })).content).toBe("No files match *.py in /workspace.");
  });

  it("grep finds matching lines with file and line number", async () => {
    expect(await executeTool(sandbox, "grep", { pattern: "TODO: \\w+" })).toEqual({
      content: "/workspace/src/a.ts:2:// TODO: first\n/workspace/src/lib/b.ts:1:export const b = 2; // TODO: second",
      isError: false,
    });
    expect((await executeTool(sandbox, "grep", { pattern: "readme", path: "README.md" })).content).toBe("/workspace/README.md:1:# readme");
    expect(await executeTool(sandbox, "grep", { pattern: "(" })).toMatchObject({ isError: true });
  });

  it("treats hostile patterns as data, never as shell code", async () => {
    for (const pattern of ["$(touch /workspace/pwned)", "`touch /workspace/pwned`", "'; touch /workspace/pwned; '", "-f/etc/passwd"]) {
      await executeTool(sandbox, "glob", { pattern });
      await executeTool(sandbox, "grep", { pattern });
      await executeTool(sandbox, "grep", { pattern: "x", path: pattern });
    }
    expect((await executeTool(sandbox, "bash", { command: "ls -A" })).content).toBe(".hidden\nREADME.md\nsrc");
  });

  it("read, edit and bash see the same files", async () => {
    await executeTool(sandbox, "edit", { file_path: "src/a.ts", old_string: "const a = 1;", new_string: "const a = 42;" });
    expect((await executeTool(sandbox, "read", { file_path: "/workspace/src/a.ts", view_range: [1, 1] })).content).toBe(
      "     1\tconst a = 42;",
    );
    expect(await executeTool(sandbox, "bash", { command: "grep -c 42 src/a.ts" })).toEqual({ content: "1", isError: false });
  });

  it("maps sandbox refusals to error codes", async () => {
    await executeTool(sandbox, "bash", { command: "ln -s /etc etc-link" });
    expect(await executeTool(sandbox, "read", { file_path: "etc-link/passwd" })).toMatchObject({
      isError: true,
      errorCode: "path_outside_workspace",
    });
    expect(await executeTool(sandbox, "bash", { command: "sleep 10", timeout_ms: 500 })).toMatchObject({
      isError: true,
      content: "Command timed out after 500 ms and was killed.",
    });
  });
});
