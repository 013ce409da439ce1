import { formatDuration } from "@/lib/timeline/tool-call-view";
import { turnAxisEndMs, type TWaterfallTurn } from "@/lib/timeline/waterfall";
import { axisPercent, axisTicks } from "@/lib/timeline/waterfall-axis";
import { formatClock } from "./format";
import { WaterfallRow } from "./waterfall-row";
import { describeTokens } from "./waterfall-text";

/** One turn: a heading that says it all in words, its time axis, and a row per request and call. */
export function WaterfallTurn({ turn, nowMs }: { turn: TWaterfallTurn; nowMs: number | null }) {
  const axisEndMs = turnAxisEndMs(turn, nowMs);
  const axis = { fromMs: turn.startMs, spanMs: axisEndMs - turn.startMs };
  const headingId = `turn-${turn.key}`;
  const duration = turn.endMs === null ? `running for ${formatDuration(axis.spanMs)}` : formatDuration(turn.endMs - turn.startMs);
  const tools = turn.spans.filter((span) => span.kind === "tool_call").length;
  const requests = turn.spans.length - tools;
  return (
    <section aria-labelledby={headingId} className="rounded-lg border border-zinc-200 bg-white px-3 py-2 dark:border-zinc-800 dark:bg-zinc-900" data-testid="waterfall-turn">
      <h3 id={headingId} className="flex flex-wrap items-baseline gap-x-2 text-sm">
        <span className="font-semibold">Turn {turn.number}</span>
        <span className="text-xs text-zinc-600 tabular-nums dark:text-zinc-400" data-testid="turn-facts">
          {duration} · {requests} model {requests === 1 ? "request" : "requests"} · {tools} tool {tools === 1 ? "call" : "calls"} · {describeTokens(turn.tokens)}
        </span>
        <span className="ml-auto font-mono text-xs text-zinc-500 dark:text-zinc-400">
          <span className="sr-only">started at </span>
          {formatClock(new Date(turn.startMs).toISOString())} UTC
        </span>
      </h3>
      <div aria-hidden="true" className="mt-1 grid grid-cols-1 gap-x-3 sm:grid-cols-[16rem_minmax(0,1fr)]">
        <span className="hidden sm:block" />
        <div className="relative h-4 border-b border-zinc-200 text-[10px] text-zinc-500 dark:border-zinc-700 dark:text-zinc-400">
          {axisTicks(axis.spanMs).map((tick) => {
            const left = axisPercent(turn.startMs + tick, axis.fromMs, axis.spanMs);
            return (
              <span key={tick} className={`absolute top-0 tabular-nums ${left > 85 ? "-translate-x-full" : ""}`} style={{ left: `${left}%` }}>
                {tick === 0 ? "0" : formatDuration(tick)}
              </span>
            );
          })}
        </div>
      </div>
      {turn.spans.length === 0 ? (
        <p className="py-1 text-xs text-zinc-600 dark:text-zinc-400">No model request yet.</p>
      ) : (
        <ol aria-label={`Model requests and tool calls of turn ${turn.number}`}>
          {turn.spans.map((span) => (
            <WaterfallRow key={span.key} span={span} axis={axis} axisEndMs={axisEndMs} />
          ))}
        </ol>
      )}
    </section>
  );
}
