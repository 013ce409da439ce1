import { describe, expect, it } from "vitest";
import { diffLines, diffSegments, diffStats, MAX_LCS_CELLS, type TDiffLine } from "@/lib/agents/ui/diff-lines";

const before = (diff: TDiffLine[]) => diff.filter((l) => l.kind !== "added").map((l) => l.text);
const after = (diff: TDiffLine[]) => diff.filter((l) => l.kind !== "removed").map((l) => l.text);
const render = (diff: TDiffLine[]) => diff.map((l) => `${l.kind === "added" ? "+" : l.kind === "removed" ? "-" : " "}${l.text}`);

describe("diffLines", () => {
  it("keeps identical texts as unchanged lines, numbered on both sides", () => {
    const diff = diffLines(["a", "b"], ["a", "b"]);
    expect(diff).toEqual([
      { kind: "same", text: "a", oldLine: 1, newLine: 1 },
      { kind: "same", text: "b", oldLine: 2, newLine: 2 },
    ]);
    expect(diffStats(diff)).toEqual({ added: 0, removed: 0 });
  });

  it("shows an inserted and a removed line where they are, with the right line numbers", () => {
    const diff = diffLines(["{", '  "a": 1,', '  "b": 2', "}"], ["{", '  "a": 1,', '  "c": 3,', '  "b": 2', "}"]);
    expect(render(diff)).toEqual([" {", '   "a": 1,', '+  "c": 3,', '   "b": 2', " }"]);
    expect(diff[2]).toEqual({ kind: "added", text: '  "c": 3,', oldLine: null, newLine: 3 });
    expect(diff[3]).toEqual({ kind: "same", text: '  "b": 2', oldLine: 3, newLine: 4 });

    const removal = diffLines(["x", "y", "z"], ["x", "z"]);
    expect(render(removal)).toEqual([" x", "-y", " z"]);
    expect(removal[1]).toEqual({ kind: "removed", text: "y", oldLine: 2, newLine: null });
  });

  it("shows a replaced block as its removed lines, then its added lines", () => {
    expect(render(diffLines(["head", "old 1", "old 2", "tail"], ["head", "new 1", "new 2", "tail"]))).toEqual([" head", "-old 1", "-old 2", "+new 1", "+new 2", " tail"]);
  });

  it("finds a longest common subsequence, not just a common head and tail", () => {
    // The classic example: the LCS of these has 4 lines, so 3 + 2 lines change.
    const a = ["a", "b", "c", "a", "b", "b", "a"];
    const b = ["c", "b", "a", "b", "a", "c"];
    const diff = diffLines(a, b);
    expect(diff.filter((l) => l.kind === "same")).toHaveLength(4);
    expect(diffStats(diff)).toEqual({ added: 2, removed: 3 });
    expect(before(diff)).toEqual(a);
    expect(after(diff)).toEqual(b);
  });

  it("handles empty texts on either side", () => {
    expect(diffLines([], [])).toEqual([]);
    expect(render(diffLines([], ["a"]))).toEqual(["+a"]);
    expect(render(diffLines(["a"], []))).toEqual(["-a"]);
  });

  it("always gives back both texts, in order (random texts)", () => {
    let seed = 42;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const text = () => Array.from({ length: Math.floor(random() * 30) }, () => "abcde"[Math.floor(random() * 5)]!);
    for (let run = 0; run < 200; run++) {
      const a = text();
      const b = text();
      const diff = diffLines(a, b);
      expect(before(diff)).toEqual(a);
      expect(after(diff)).toEqual(b);
      // Line numbers count each side's lines in order.
      expect(diff.flatMap((l) => (l.oldLine === null ? [] : [l.oldLine]))).toEqual(a.map((_, i) => i + 1));
      expect(diff.flatMap((l) => (l.newLine === null ? [] : [l.newLine]))).toEqual(b.map((_, i) => i + 1));
    }
  });

  it("stays correct on texts too large for the table: the differing middle is replaced whole", () => {
    const size = Math.ceil(Math.sqrt(MAX_LCS_CELLS)) + 10;
    const a = ["same head", ...Array.from({ length: size }, (_, i) => `a${i}`), "same tail"];
    const b = ["same head", ...Array.from({ length: size }, (_, i) => `b${i}`), "same tail"];
    const diff = diffLines(a, b);
    expect(before(diff)).toEqual(a);
    expect(after(diff)).toEqual(b);
    expect(diff[0]).toMatchObject({ kind: "same", text: "same head" });
    expect(diff.at(-1)).toMatchObject({ kind: "same", text: "same tail", oldLine: a.length, newLine: b.length });
    expect(diffStats(diff)).toEqual({ added: size, removed: size });
  });
});

describe("diffSegments", () => {
  const lines = (n: number, prefix = "l") => Array.from({ length: n }, (_, i) => `${prefix}${i + 1}`);

  it("gives nothing to show when nothing changed", () => {
    expect(diffSegments(diffLines(lines(10), lines(10)))).toEqual([]);
  });

  it("shows changes with three lines of context and folds the unchanged runs between them", () => {
    const a = lines(30);
    const b = [...a];
    b[4] = "changed 5";
    b[24] = "changed 25";
    const segments = diffSegments(diffLines(a, b));
    expect(segments.map((s) => (s.type === "skipped" ? `skip ${s.count}` : `lines ${s.lines.length}`))).toEqual([
      "skip 1", // l1
      "lines 8", // l2–l4, -l5, +changed 5, l6–l8
      "skip 13", // l9–l21
      "lines 8", // l22–l24, -l25, +changed 25, l26–l28
      "skip 2", // l29, l30
    ]);
  });

  it("keeps nearby changes in one block", () => {
    const a = lines(10);
    const b = a.map((line, i) => (i === 3 || i === 6 ? `${line}!` : line));
    const segments = diffSegments(diffLines(a, b), 2);
    expect(segments.filter((s) => s.type === "lines")).toHaveLength(1);
  });
});
