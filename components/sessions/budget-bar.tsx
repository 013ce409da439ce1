import { budgetReached, listCostCents, type TBudget, type TCostUsage } from "@/lib/event-log/usage";

const dollars = (cents: number) => `$${(cents / 100).toFixed(2)}`;

/**
 * The session's list cost against its budget, as a bar: how much of `max_list_cost` is spent, and
 * whether the budget is reached (the harness then makes no more model requests until it is
 * raised). Nothing when the session has no budget.
 */
export function BudgetBar({ usage, budget }: { usage: TCostUsage; budget: TBudget | null }) {
  if (!budget) return null;
  const max = Number(budget.max_list_cost.amount);
  const spent = listCostCents(usage);
  const reached = budgetReached(usage, budget);
  const fraction = spent === null ? 1 : max === 0 ? 1 : Math.min(1, spent / max);
  const label = spent === null ? `Budget ${dollars(max)}: cost unknown (a model without a list price ran)` : `${dollars(spent)} of ${dollars(max)} budget`;
  return (
    <div className="flex min-w-40 items-center gap-2 text-xs text-zinc-600 dark:text-zinc-400" data-testid="budget-bar" data-reached={reached}>
      <div
        role="meter"
        aria-label="List cost against the session's budget"
        aria-valuemin={0}
        aria-valuemax={max}
        aria-valuenow={spent === null ? max : Math.min(spent, max)}
        aria-valuetext={label}
        className="h-2 w-24 overflow-hidden rounded-full bg-zinc-200 dark:bg-zinc-800"
      >
        <div className={`h-full rounded-full ${reached ? "bg-red-500" : fraction >= 0.8 ? "bg-amber-500" : "bg-emerald-500"}`} style={{ width: `${Math.round(fraction * 100)}%` }} />
      </div>
      <span className="tabular-nums">
        {label}
        {reached ? <strong className="ml-1 font-medium text-red-700 dark:text-red-400">· reached</strong> : null}
      </span>
    </div>
  );
}
