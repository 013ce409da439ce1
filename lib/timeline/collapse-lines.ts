/**
 * Long output, folded the way a terminal reader skims it: the first lines (what the command said
 * first), the last lines (where it ended, usually the error or the summary), and how many lines in
 * between are hidden until "show all". Short output is kept whole: folding away a handful of lines
 * saves nothing.
 */
export type TCollapsedLines = {
  head: string[];
  /** Lines left out between head and tail; 0 when nothing is hidden (then tail is empty). */
  hidden: number;
  tail: string[];
};

export type TCollapseOptions = {
  /** Lines kept from the start. */
  head?: number;
  /** Lines kept from the end. */
  tail?: number;
  /** Fewer hidden lines than this are shown rather than folded. */
  minHidden?: number;
  /** A kept line longer than this is cut (one minified line must not fill the screen). */
  maxLineChars?: number;
};

export const COLLAPSE_DEFAULTS = { head: 5, tail: 15, minHidden: 5, maxLineChars: 1_000 } as const;

/** The lines of `text`, without the empty line a trailing newline leaves. */
export function outputLines(text: string): string[] {
  if (text === "") return [];
  const lines = text.split("\n");
  if (lines.at(-1) === "") lines.pop();
  return lines;
}

function cut(line: string, max: number): string {
  return line.length > max ? `${line.slice(0, max)}… (${(line.length - max).toLocaleString("en-US")} more characters)` : line;
}

export function collapseLines(lines: readonly string[], options: TCollapseOptions = {}): TCollapsedLines {
  const { head, tail, minHidden, maxLineChars } = { ...COLLAPSE_DEFAULTS, ...options };
  const hidden = lines.length - head - tail;
  if (hidden < minHidden) return { head: lines.map((line) => cut(line, maxLineChars)), hidden: 0, tail: [] };
  return {
    head: lines.slice(0, head).map((line) => cut(line, maxLineChars)),
    hidden,
    tail: lines.slice(lines.length - tail).map((line) => cut(line, maxLineChars)),
  };
}
