import { formatDuration } from "@/lib/timeline/tool-call-view";
import type { TWaterfallSpan } from "@/lib/timeline/waterfall";
import { axisPercent } from "@/lib/timeline/waterfall-axis";
import { spanFacts, spanName } from "./waterfall-text";

export type TAxis = { fromMs: number; spanMs: number };

const BAR: Record<"model_request" | "tool_call" | "error" | "open", string> = {
  model_request: "bg-brand-500 dark:bg-brand-400",
  tool_call: "bg-emerald-500 dark:bg-emerald-400",
  error: "bg-red-500 dark:bg-red-400",
  open: "bg-amber-400 dark:bg-amber-300 animate-pulse",
};

function barTone(span: TWaterfallSpan): string {
  if (span.endMs === null) return BAR.open;
  if (span.kind === "model_request") return span.isError ? BAR.error : BAR.model_request;
  return span.state === "error" ? BAR.error : BAR.tool_call;
}

/**
 * One request or call of a turn: its name and facts in words (what a screen reader reads, and what
 * a phone shows above the bar), then its bar on the turn's time axis. A call that waited for an
 * approval shows the wait as a faint lead-in; a call that never ran, as a tick where it was made.
 */
export function WaterfallRow({ span, axis, axisEndMs }: { span: TWaterfallSpan; axis: TAxis; axisEndMs: number }) {
  const runFrom = span.kind === "tool_call" ? span.runStartMs : span.startMs;
  const end = span.endMs ?? axisEndMs;
  const left = axisPercent(runFrom ?? span.startMs, axis.fromMs, axis.spanMs);
  const width = runFrom === null ? 0 : Math.max(0, axisPercent(end, axis.fromMs, axis.spanMs) - left);
  const waitLeft = axisPercent(span.startMs, axis.fromMs, axis.spanMs);
  const name = spanName(span);
  const facts = spanFacts(span);
  return (
    <li
      className="grid grid-cols-1 items-center gap-x-3 gap-y-0.5 py-1 sm:grid-cols-[16rem_minmax(0,1fr)]"
      data-span={span.kind}
      data-state={span.kind === "tool_call" ? span.state : span.endMs === null ? "running" : span.isError ? "error" : "done"}
    >
      <p className="flex min-w-0 items-baseline gap-2 text-xs">
        <span className={`truncate font-medium ${span.kind === "tool_call" ? "font-mono" : ""}`} title={name}>
          {name}
        </span>
        <span className="shrink-0 text-zinc-600 tabular-nums dark:text-zinc-400" data-testid="span-facts">
          {facts}
        </span>
        <span className="sr-only">, from {formatDuration(Math.max(0, span.startMs - axis.fromMs))} into the turn</span>
      </p>
      <div aria-hidden="true" className="relative h-3 rounded-sm bg-zinc-100 dark:bg-zinc-800">
        {runFrom !== null && runFrom > span.startMs ? (
          <div className="absolute inset-y-1 rounded-sm bg-zinc-300 dark:bg-zinc-600" style={{ left: `${waitLeft}%`, width: `${left - waitLeft}%` }} />
        ) : null}
        {runFrom === null ? (
          <div data-testid="bar" className="absolute inset-y-0 w-0.5 bg-zinc-400 dark:bg-zinc-500" style={{ left: `${waitLeft}%` }} />
        ) : (
          // at least a sliver, so a request of a few milliseconds is still seen
          <div data-testid="bar" className={`absolute inset-y-0 min-w-1 rounded-sm ${barTone(span)}`} style={{ left: `${Math.min(left, 99.5)}%`, width: `${width}%` }} />
        )}
      </div>
    </li>
  );
}
