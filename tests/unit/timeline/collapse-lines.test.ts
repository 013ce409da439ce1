import { describe, expect, it } from "vitest";
import { collapseLines, outputLines } from "@/lib/timeline/collapse-lines";

const numbered = (n: number) => Array.from({ length: n }, (_, i) => `line ${i + 1}`);

describe("collapsing long output", () => {
  it("keeps short output whole", () => {
    expect(collapseLines(numbered(3))).toEqual({ head: numbered(3), hidden: 0, tail: [] });
    // folding away fewer lines than it takes to say so saves nothing
    expect(collapseLines(numbered(24))).toEqual({ head: numbered(24), hidden: 0, tail: [] });
  });

  it("keeps the first and the last lines of long output, and counts the rest", () => {
    const folded = collapseLines(numbered(1_000));
    expect(folded.head).toEqual(numbered(5));
    expect(folded.tail).toEqual(numbered(1_000).slice(-15));
    expect(folded.hidden).toBe(980);
    expect(folded.head.length + folded.hidden + folded.tail.length).toBe(1_000);
  });

  it("cuts a line too long to show", () => {
    const [line] = collapseLines(["x".repeat(5_000)]).head;
    expect(line).toBe(`${"x".repeat(1_000)}… (4,000 more characters)`);
  });

  it("takes its sizes as options", () => {
    expect(collapseLines(numbered(10), { head: 1, tail: 2, minHidden: 1 })).toEqual({ head: ["line 1"], hidden: 7, tail: ["line 9", "line 10"] });
  });

  it("splits text into lines without the empty one a final newline leaves", () => {
    expect(outputLines("a\nb\n")).toEqual(["a", "b"]);
    expect(outputLines("a\n\nb")).toEqual(["a", "", "b"]);
    expect(outputLines("")).toEqual([]);
  });
});
