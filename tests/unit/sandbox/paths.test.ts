import { describe, expect, it } from "vitest";
import { toSandboxPath, toWorkspaceRelative } from "@/lib/sandbox/paths";

describe("toWorkspaceRelative", () => {
  it.each([
    ["/workspace/a/b.txt", "a/b.txt"],
    ["a/b.txt", "a/b.txt"],
    ["./a/../b.txt", "b.txt"],
    ["/workspace", ""],
    ["/workspace/", ""],
    ["a//b/", "a/b"],
  ])("%s → %s", (input, expected) => {
    expect(toWorkspaceRelative(input)).toBe(expected);
  });

  it.each(["../../etc/passwd", "/etc/passwd", "/workspace/../etc", "/workspaces/x", "a/../../x", "", "a\0b"])(
    "refuses %j",
    (input) => {
      expect(() => toWorkspaceRelative(input)).toThrow(expect.objectContaining({ code: "path_outside_workspace" }));
    },
  );

  it("maps back to absolute sandbox paths", () => {
    expect(toSandboxPath("a/b")).toBe("/workspace/a/b");
    expect(toSandboxPath("")).toBe("/workspace");
  });
});
