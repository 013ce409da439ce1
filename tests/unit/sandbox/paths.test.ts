import { describe, expect, it } from "vitest";
import { memoryMountTarget, toSandboxPath, toWorkspaceRelative } from "@/lib/sandbox/paths";

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

describe("memoryMountTarget", () => {
  it.each([
    ["/mnt/memory/notes/a.md", { name: "notes", relative: "a.md" }],
    ["/mnt/memory/notes/deep/../b.md", { name: "notes", relative: "b.md" }],
    ["/mnt/memory/notes", { name: "notes", relative: "" }],
    ["/mnt/memory/notes/", { name: "notes", relative: "" }],
    ["../mnt/memory/notes/x", { name: "notes", relative: "x" }],
  ])("%s is in a memory mount", (input, expected) => {
    expect(memoryMountTarget(input)).toEqual(expected);
  });

  it.each(["/mnt/memory", "/mnt/memory/", "/mnt/memory/notes/../../etc/passwd", "/mnt/memoryx/a", "/workspace/mnt/memory/a", "a.md", "/mnt/memory/a\0b", ""])(
    "%s is not",
    (input) => {
      expect(memoryMountTarget(input)).toBeNull();
    },
  );
});
