/**
 * A line diff for showing what changed between two texts (two versions of an agent): the longest
 * common subsequence of lines is kept, everything else is removed (only in `before`) or added (only
 * in `after`). Pure and small; it is for documents of a few thousand lines, not for files.
 */
export type TDiffLine =
  | { kind: "same"; text: string; oldLine: number; newLine: number }
  | { kind: "removed"; text: string; oldLine: number; newLine: null }
  | { kind: "added"; text: string; oldLine: null; newLine: number };

/** Above this many cells the LCS table is not built: the differing middle is shown as replaced whole. */
export const MAX_LCS_CELLS = 4_000_000;

export function diffLines(before: readonly string[], after: readonly string[]): TDiffLine[] {
  // The common head and tail need no table, and are usually most of the document.
  let head = 0;
  while (head < before.length && head < after.length && before[head] === after[head]) head++;
  let tail = 0;
  while (tail < before.length - head && tail < after.length - head && before[before.length - 1 - tail] === after[after.length - 1 - tail]) tail++;

  const out: TDiffLine[] = [];
  for (let i = 0; i < head; i++) out.push({ kind: "same", text: before[i]!, oldLine: i + 1, newLine: i + 1 });
  const a = before.slice(head, before.length - tail);
  const b = after.slice(head, after.length - tail);
  for (const line of middle(a, b)) {
    if (line.kind === "same") out.push({ ...line, oldLine: line.oldLine + head, newLine: line.newLine + head });
    else if (line.kind === "removed") out.push({ ...line, oldLine: line.oldLine + head });
    else out.push({ ...line, newLine: line.newLine + head });
  }
  for (let k = tail; k > 0; k--) {
    out.push({ kind: "same", text: before[before.length - k]!, oldLine: before.length - k + 1, newLine: after.length - k + 1 });
  }
  return out;
}

/** The diff of two texts with nothing in common at either end, by a table of LCS lengths. */
function middle(a: readonly string[], b: readonly string[]): TDiffLine[] {
  const n = a.length;
  const m = b.length;
  if (n * m > MAX_LCS_CELLS) {
    return [
      ...a.map((text, i): TDiffLine => ({ kind: "removed", text, oldLine: i + 1, newLine: null })),
      ...b.map((text, j): TDiffLine => ({ kind: "added", text, oldLine: null, newLine: j + 1 })),
    ];
  }
  // lcs[i * (m + 1) + j] = length of the LCS of a[i..] and b[j..].
  const width = m + 1;
  const lcs = new Uint32Array((n + 1) * width);
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i * width + j] = a[i] === b[j] ? lcs[(i + 1) * width + j + 1]! + 1 : Math.max(lcs[(i + 1) * width + j]!, lcs[i * width + j + 1]!);
    }
  }
  // Walk the table: equal lines are kept; otherwise take the step that keeps the longer LCS,
  // the removal on a tie, so a replaced block reads "− old lines" then "+ new lines".
  const out: TDiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) {
      out.push({ kind: "same", text: a[i]!, oldLine: i + 1, newLine: j + 1 });
      i++;
      j++;
    } else if (lcs[(i + 1) * width + j]! >= lcs[i * width + j + 1]!) {
      out.push({ kind: "removed", text: a[i]!, oldLine: i + 1, newLine: null });
      i++;
    } else {
      out.push({ kind: "added", text: b[j]!, oldLine: null, newLine: j + 1 });
      j++;
    }
  }
  for (; i < n; i++) out.push({ kind: "removed", text: a[i]!, oldLine: i + 1, newLine: null });
  for (; j < m; j++) out.push({ kind: "added", text: b[j]!, oldLine: null, newLine: j + 1 });
  return out;
}

export type TDiffSegment = { type: "lines"; lines: TDiffLine[] } | { type: "skipped"; count: number };

/**
 * The diff as it is shown: changed lines with `context` unchanged lines around them, and each longer
 * run of unchanged lines folded into one `skipped` marker. No changes at all gives no segments.
 */
export function diffSegments(diff: readonly TDiffLine[], context = 3): TDiffSegment[] {
  const changed = diff.map((line) => line.kind !== "same");
  if (!changed.includes(true)) return [];
  const shown = diff.map((_, i) => {
    for (let k = Math.max(0, i - context); k <= Math.min(diff.length - 1, i + context); k++) if (changed[k]) return true;
    return false;
  });
  const segments: TDiffSegment[] = [];
  let i = 0;
  while (i < diff.length) {
    const start = i;
    const visible = shown[i];
    while (i < diff.length && shown[i] === visible) i++;
    segments.push(visible ? { type: "lines", lines: diff.slice(start, i) } : { type: "skipped", count: i - start });
  }
  return segments;
}

export function diffStats(diff: readonly TDiffLine[]): { added: number; removed: number } {
  let added = 0;
  let removed = 0;
  for (const line of diff) {
    if (line.kind === "added") added++;
    else if (line.kind === "removed") removed++;
  }
  return { added, removed };
}
