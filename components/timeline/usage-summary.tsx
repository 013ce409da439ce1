import type { TSessionUsage } from "@/lib/event-log/fold";
import { listCostUsd } from "@/lib/event-log/usage";
import { COST_ESTIMATE_LABEL, formatUsd } from "@/lib/timeline/estimate-cost";
import { formatTokens } from "./format";

/**
 * Token usage so far and its cost: the list cost the requests recorded (lib/model/prices.ts), or,
 * for a log from before list costs were recorded, `costUsd`, labelled as an estimate.
 */
export function UsageSummary({ usage, costUsd }: { usage: TSessionUsage; costUsd: number | null }) {
  const listed = listCostUsd(usage);
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
      {listed !== null ? (
        <div className="flex items-baseline gap-1" title="At list prices, without discounts">
          <dt>List cost</dt>
          <dd className="font-medium text-zinc-900 tabular-nums dark:text-zinc-100" data-testid="list-cost">
            {formatUsd(listed)}
          </dd>
        </div>
      ) : (
        <div className="flex items-baseline gap-1" title={COST_ESTIMATE_LABEL}>
          <dt>Estimated cost</dt>
          <dd className="font-medium text-zinc-900 tabular-nums dark:text-zinc-100">
            {costUsd === null ? "unknown for this model" : `≈${formatUsd(costUsd)}`}
            <span className="sr-only"> ({COST_ESTIMATE_LABEL})</span>
          </dd>
        </div>
      )}
    </dl>
  );
}
