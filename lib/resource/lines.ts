/** The non-blank lines of a text, trimmed, with their line numbers (from 1). */
export function linesOf(text: string): { line: number; value: string }[] {
  return text
    .split(/\r\n|\r|\n/)
    .map((value, i) => ({ line: i + 1, value: value.trim() }))
    .filter((entry) => entry.value !== "");
}
