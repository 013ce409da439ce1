import type { TSessionUsage } from "@/lib/event-log/fold";
import { COST_ESTIMATE_LABEL, formatUsd } from "@/lib/timeline/estimate-cost";
import { formatTokens } from "./format";

/** Token usage so far and its estimated cost (labelled as an estimate, or absent when unknown). */
export function UsageSummary({ usage, costUsd }: { usage: TSessionUsage; costUsd: number | null }) {
  const rows: Array<[string, string]> = [
    ["Input", formatTokens(usage.input_tokens)],
    ["Output", formatTokens(usage.output_tokens)],
    ["Cache read", formatTokens(usage.cache_read_input_tokens)],
    ["Cache write", formatTokens(usage.cache_creation_input_tokens)],
  ];
  return (
    <dl className="flex flex-wrap items-baseline gap-x-4 gap-y-1 text-xs text-zinc-600 dark:text-zinc-400">
      {rows.map(([term, value]) => (
        <div key={term} className="flex items-baseline gap-1">
          <dt>{term}</dt>
          <dd className="font-medium text-zinc-900 tabular-nums dark:text-zinc-100">{value}</dd>
        </div>
      ))}
      <div className="flex items-baseline gap-1" title={COST_ESTIMATE_LABEL}>
        <dt>Estimated cost</dt>
        <dd className="font-medium text-zinc-900 tabular-nums dark:text-zinc-100">
          {costUsd === null ? "unknown for this model" : `≈${formatUsd(costUsd)}`}
          <span className="sr-only"> ({COST_ESTIMATE_LABEL})</span>
        </dd>
      </div>
    </dl>
  );
}
