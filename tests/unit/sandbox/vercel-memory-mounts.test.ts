import { describe, expect, it } from "vitest";
import { parseListing, planFill, sha256 } from "@/lib/sandbox/vercel/memory-mounts";
import { compareWorkspacePaths } from "@/lib/sandbox/workspace-reader";

const hash = (text: string) => sha256(text);

describe("a Vercel memory mount's listing", () => {
  it("reads entries and the hashes of regular files, whatever their names hold", () => {
    const a = hash("A");
    const listing = parseListing(
      ["e", "f", "1", "a.md", "e", "d", "4096", "dir", "e", "l", "9", "dir/link", "e", "f", "1", "e", "e", "p", "0", "fifo", `${a}  ./a.md`, `${a}  ./e`, ""].join("\0"),
    );
    expect(Object.fromEntries(listing)).toEqual({
      "a.md": { type: "file", size: 1, sha256: a },
      dir: { type: "directory", size: 4096 },
      "dir/link": { type: "link", size: 9 },
      e: { type: "file", size: 1, sha256: a },
      fifo: { type: "other", size: 0 },
    });
  });

  it("plans a fill that keeps unchanged files, rewrites changed ones and removes the rest", () => {
    const listing = parseListing(
      [
        ...["e", "f", "4", "same.md", "e", "f", "3", "changed.md", "e", "d", "0", "keep", "e", "f", "1", "keep/x.md"],
        ...["e", "d", "0", "gone", "e", "f", "1", "gone/y.md", "e", "l", "1", "link.md", "e", "d", "0", "was-dir.md"],
        `${hash("same")}  ./same.md`,
        `${hash("old")}  ./changed.md`,
        `${hash("x")}  ./keep/x.md`,
        `${hash("y")}  ./gone/y.md`,
        "",
      ].join("\0"),
    );
    const files = new Map([
      ["same.md", "same"],
      ["changed.md", "new"],
      ["keep/x.md", "x"],
      ["link.md", "now a file"],
      ["was-dir.md", "now a file too"],
      ["fresh/z.md", "z"],
    ]);
    expect(planFill(listing, files)).toEqual({
      remove: ["changed.md", "gone", "link.md", "was-dir.md"],
      write: ["changed.md", "link.md", "was-dir.md", "fresh/z.md"],
    });
    expect(planFill(listing, new Map())).toEqual({ remove: ["changed.md", "gone", "keep", "link.md", "same.md", "was-dir.md"], write: [] });
  });
});

describe("workspace listing order", () => {
  it("is depth first, siblings by name, a directory before its contents", () => {
    const paths = ["src/b.ts", "a.txt", "src", "src/a/z.ts", "src/a", "B.md"];
    expect(paths.sort(compareWorkspacePaths)).toEqual(["a.txt", "B.md", "src", "src/a", "src/a/z.ts", "src/b.ts"]);
  });
});
