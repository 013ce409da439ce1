import { describe, expect, it } from "vitest";
import { memoryPathProblem, pathPrefixProblem } from "@/lib/memory-stores/schemas";
import { memoryTree } from "@/lib/memory-stores/ui/memory-tree";

describe("memory paths", () => {
  it("accepts paths as the API documents them, and names what is wrong with others", () => {
    for (const path of ["/a", "/projects/foo/notes.md", "/with space/ünïcode.md", `/${Array(20).fill("s").join("/")}`, "/100%_done"]) expect(memoryPathProblem(path)).toBeNull();
    expect(memoryPathProblem("/")).toMatch(/empty segments/);
    expect(memoryPathProblem("/a/./b")).toMatch(/\. or \.\./);
    expect(memoryPathProblem("/a\u2028b")).toMatch(/control or format/);
    expect(memoryPathProblem("/a\u200bb")).toMatch(/control or format/); // a zero-width space is a format character
    expect(memoryPathProblem(`/${"é".repeat(512)}`)).toMatch(/at most 1024 bytes/); // 1025 bytes, 513 characters
    expect(pathPrefixProblem("/")).toBeNull();
    expect(pathPrefixProblem("/notes/")).toBeNull();
    expect(pathPrefixProblem("/notes")).toMatch(/end with \//);
    expect(pathPrefixProblem("/a/../")).toMatch(/\. or \.\./);
  });

  it("builds the browser's tree: folders first, then files, each by name", () => {
    const tree = memoryTree([
      { id: "m1", path: "/z.md", content_size_bytes: 1 },
      { id: "m2", path: "/b/c/d.md", content_size_bytes: 2 },
      { id: "m3", path: "/b/a.md", content_size_bytes: 3 },
      { id: "m4", path: "/a.md", content_size_bytes: 4 },
    ]);
    const names = (nodes: typeof tree): unknown[] => nodes.map((n) => (n.kind === "dir" ? [`${n.name}/`, names(n.children)] : n.name));
    expect(names(tree)).toEqual([["b/", [["c/", ["d.md"]], "a.md"]], "a.md", "z.md"]);
  });
});
