import { z } from "zod";

/**
 * Usage in money: the list cost a session has spent and the budget that caps it, in the wire shapes
 * of the Managed Agents API (`BetaMonetaryAmount`, `BetaManagedAgentsBudgetLimit`).
 *
 * The log records each model request's list cost on its `span.model_request_end`
 * (`list_cost_nano_usd`, an extension field: nano-dollars, 10⁻⁹ USD, priced by lib/model/prices.ts
 * when the request ended, so later price changes never rewrite history). The session fold
 * (fold.ts) sums them exactly; the wire shows whole cents, rounded down, so that `list_cost`
 * reaching `max_list_cost` is exactly when the budget counts as reached.
 */

/** A monetary amount: whole cents as an integer string ("2500" is $25.00), as the SDK's `BetaMonetaryAmount`. */
export type TMonetaryAmount = { amount: string; currency: "USD" };
export type TBudget = { type: "limit"; max_list_cost: TMonetaryAmount };

export const NANO_USD_PER_CENT = 10_000_000;

export const ZMonetaryAmountSchema = z.strictObject({
  amount: z.string().regex(/^(0|[1-9][0-9]{0,14})$/, 'must be a non-negative whole number of cents as a string, like "2500" for $25.00'),
  currency: z.literal("USD"),
});

export const ZBudgetSchema = z.strictObject({ type: z.literal("limit"), max_list_cost: ZMonetaryAmountSchema });

/** What the money part of a session's usage needs from the fold. */
export type TCostUsage = {
  input_tokens: number;
  /** Exact list cost of the priced requests, in nano-dollars. */
  list_cost_nano_usd?: number;
  /** Requests of a model without a list price: while any, the list cost is unknown. */
  unpriced_requests?: number;
  /* optional: usage folded before list costs were recorded has neither; it counts as 0 */
};

/** Whole cents spent, rounded down; null when a request had no list price. */
export function listCostCents(usage: TCostUsage): number | null {
  if ((usage.unpriced_requests ?? 0) > 0) return null;
  return Math.floor((usage.list_cost_nano_usd ?? 0) / NANO_USD_PER_CENT);
}

/** `usage.list_cost` on the wire: whole cents, or null when unknown. */
export function listCostOf(usage: TCostUsage): TMonetaryAmount | null {
  const cents = listCostCents(usage);
  return cents === null ? null : { amount: String(cents), currency: "USD" };
}

/** US dollars, exact, for display; null when unknown. */
export function listCostUsd(usage: TCostUsage): number | null {
  if ((usage.unpriced_requests ?? 0) > 0) return null;
  return (usage.list_cost_nano_usd ?? 0) / 1e9;
}

/** A stored budget as the typed shape, or null (no budget, or not one this platform reads). */
export function budgetOf(value: unknown): TBudget | null {
  const parsed = ZBudgetSchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}

/**
 * Whether a session with `usage` may not make another model request under `budget`: its list cost
 * has reached `max_list_cost`, or it is unknown (a model without a list price ran, which the budget
 * cannot measure). No budget: never.
 */
export function budgetReached(usage: TCostUsage, budget: TBudget | null): boolean {
  if (!budget) return false;
  const cents = listCostCents(usage);
  return cents === null || cents >= Number(budget.max_list_cost.amount);
}

/**
 * The budget in force after `events`: the latest `session.updated` that carried one (null removes
 * it), else `initial` (the budget the session was created with).
 */
export function foldBudget(initial: TBudget | null, events: ReadonlyArray<{ body: { readonly type: string; readonly [field: string]: unknown } }>): TBudget | null {
  let budget = initial;
  for (const { body } of events) {
    if (body.type === "session.updated" && body.budget !== undefined) budget = budgetOf(body.budget);
  }
  return budget;
}
