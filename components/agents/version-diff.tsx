import type { TDiffSegment } from "@/lib/agents/ui/diff-lines";
import { DIFF_LINE_MARKERS as MARKERS, DIFF_LINE_SPOKEN as SPOKEN, DIFF_LINE_TONES as ROW_TONES } from "@/components/ui/diff-line-style";

/**
 * A line diff: removed lines in red with "−", added lines in green with "+" (the marker, not only
 * the colour, says which; screen readers hear "Added"/"Removed"), line numbers of both sides, and
 * long runs of unchanged lines folded.
 */
export function VersionDiff({ segments, caption }: { segments: TDiffSegment[]; caption: string }) {
  return (
    // Narrow screens scroll long lines sideways (wrapping would break the indentation); wider ones wrap them.
    <div className="overflow-x-auto rounded-lg border border-zinc-200 dark:border-zinc-800">
      <table className="w-max min-w-full border-collapse font-mono text-xs leading-5 sm:w-full">
        <caption className="sr-only">{caption}</caption>
        <thead className="sr-only">
          <tr>
            <th scope="col">Line before</th>
            <th scope="col">Line after</th>
            <th scope="col">Change</th>
            <th scope="col">Text</th>
          </tr>
        </thead>
        <tbody>
          {segments.map((segment, i) =>
            segment.type === "skipped" ? (
              <tr key={i} className="bg-zinc-50 text-zinc-500 dark:bg-zinc-900 dark:text-zinc-400">
                <td colSpan={4} className="px-3 py-1 text-center font-sans">
                  ⋯ {segment.count} unchanged {segment.count === 1 ? "line" : "lines"}
                </td>
              </tr>
            ) : (
              segment.lines.map((line, j) => (
                <tr key={`${i}-${j}`} data-diff={line.kind} className={ROW_TONES[line.kind]}>
                  <td className="w-8 px-1.5 text-right align-top text-zinc-400 select-none sm:w-10 sm:px-2 dark:text-zinc-500">{line.oldLine ?? ""}</td>
                  <td className="w-8 px-1.5 text-right align-top text-zinc-400 select-none sm:w-10 sm:px-2 dark:text-zinc-500">{line.newLine ?? ""}</td>
                  <td className="w-5 text-center align-top font-bold select-none">
                    <span aria-hidden="true">{MARKERS[line.kind]}</span>
                  </td>
                  <td className="pr-3 align-top whitespace-pre sm:whitespace-pre-wrap sm:[overflow-wrap:anywhere]">
                    {SPOKEN[line.kind] ? <span className="sr-only">{SPOKEN[line.kind]}</span> : null}
                    {line.text}
                  </td>
                </tr>
              ))
            ),
          )}
        </tbody>
      </table>
    </div>
  );
}
