import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { budgetReached, foldBudget, listCostCents, listCostOf, ZBudgetSchema, type TBudget } from "@/lib/event-log/usage";
import { budgetUpdate } from "@/lib/sessions/session-budget";

const CENT = 10_000_000; // nano-dollars
const budget = (cents: number): TBudget => ({ type: "limit", max_list_cost: { amount: String(cents), currency: "USD" } });
const usage = (nanos: number, unpriced = 0) => ({
  input_tokens: 1,
  output_tokens: 1,
  cache_read_input_tokens: 0,
  cache_creation_input_tokens: 0,
  list_cost_nano_usd: nanos,
  unpriced_requests: unpriced,
});

describe("list cost on the wire", () => {
  it("is whole cents rounded down, as the SDK's BetaMonetaryAmount", () => {
    expect(listCostOf(usage(0))).toEqual({ amount: "0", currency: "USD" });
    expect(listCostOf(usage(2 * CENT - 1))).toEqual({ amount: "1", currency: "USD" });
    expect(listCostOf(usage(2500 * CENT))).toEqual({ amount: "2500", currency: "USD" });
  });

  it("is unknown (null) once a request of a model without a list price is in it", () => {
    expect(listCostOf(usage(5 * CENT, 1))).toBeNull();
    expect(listCostCents(usage(5 * CENT, 1))).toBeNull();
  });

  it("counts a usage folded before list costs were recorded as nothing spent", () => {
    expect(listCostOf({ input_tokens: 10 })).toEqual({ amount: "0", currency: "USD" });
  });
});

describe("budgetReached", () => {
  it("is reached when the list cost, in whole cents, reaches max_list_cost", () => {
    expect(budgetReached(usage(99 * CENT), budget(100))).toBe(false);
    expect(budgetReached(usage(100 * CENT - 1), budget(100))).toBe(false);
    expect(budgetReached(usage(100 * CENT), budget(100))).toBe(true);
    expect(budgetReached(usage(250 * CENT), budget(100))).toBe(true);
    expect(budgetReached(usage(0), budget(0))).toBe(true);
  });

  it("is reached when the cost is unknown, and never without a budget", () => {
    expect(budgetReached(usage(0, 1), budget(100))).toBe(true);
    expect(budgetReached(usage(1e15), null)).toBe(false);
  });
});

describe("foldBudget", () => {
  it("follows the session.updated events that change the budget, from the one the session was created with", () => {
    const updated = (value: unknown) => ({ body: { type: "session.updated", budget: value } });
    expect(foldBudget(budget(100), [])).toEqual(budget(100));
    expect(foldBudget(budget(100), [updated(budget(300)), { body: { type: "session.updated", title: "x" } }])).toEqual(budget(300));
    expect(foldBudget(budget(100), [updated(budget(300)), updated(null)])).toBeNull();
  });
});

describe("the budget schema", () => {
  it("takes the SDK's shape and refuses negative, fractional and non-numeric amounts", () => {
    expect(ZBudgetSchema.safeParse(budget(2500)).success).toBe(true);
    for (const amount of ["-1", "1.5", "abc", "", "007", 25]) {
      expect(ZBudgetSchema.safeParse({ type: "limit", max_list_cost: { amount, currency: "USD" } }).success, String(amount)).toBe(false);
    }
    expect(ZBudgetSchema.safeParse({ type: "limit", max_list_cost: { amount: "1", currency: "EUR" } }).success).toBe(false);
    expect(ZBudgetSchema.safeParse({ type: "cap", max_list_cost: { amount: "1", currency: "USD" } }).success).toBe(false);
  });
});

describe("budgetUpdate", () => {
  const session = (current: TBudget | null, nanos: number, model = "claude-sonnet-4-6") => ({
    budget: current,
    agentSnapshot: { model: { id: model } },
    state: { usage: usage(nanos) },
  });
  const codeOf = (fn: () => unknown) => {
    try {
      fn();
    } catch (error) {
      if (error instanceof AppError) return (error.details as { errorCode?: string } | undefined)?.errorCode;
      throw error;
    }
    return "no error";
  };

  it("raises or removes a budget, and leaves an unchanged one alone", () => {
    expect(budgetUpdate(session(budget(100), 100 * CENT), budget(200))).toEqual({ budget: budget(200) });
    expect(budgetUpdate(session(budget(100), 0), null)).toEqual({ budget: null });
    expect(budgetUpdate(session(budget(100), 0), budget(100))).toBeUndefined();
    expect(budgetUpdate(session(null, 0), null)).toBeUndefined();
  });

  it("refuses to add a budget later, to lower it to what is spent, or to measure an unpriced model", () => {
    expect(codeOf(() => budgetUpdate(session(null, 0), budget(100)))).toBe("budget_create_only");
    expect(codeOf(() => budgetUpdate(session(budget(100), 100 * CENT), budget(100)))).toBe("budget_not_raised");
    expect(codeOf(() => budgetUpdate(session(budget(300), 150 * CENT), budget(120)))).toBe("budget_not_raised");
    expect(codeOf(() => budgetUpdate(session(budget(100), 0, "claude-e2e"), budget(200)))).toBe("model_not_budgetable");
  });
});
