import { AppError } from "@/lib/errors";
import type { TSessionUsage } from "@/lib/event-log/fold";
import { budgetOf, listCostCents, type TBudget } from "@/lib/event-log/usage";
import { modelPrice } from "@/lib/model/prices";

/**
 * The rules a session's budget follows (`budget: {type: "limit", max_list_cost}`, as the SDK's
 * `BetaManagedAgentsBudgetLimit`): set at creation, raised or removed by an update, enforced by the
 * harness before each model request (lib/harness/plan-next-step.ts, `budget_reached`).
 */

/** The model id of an agent snapshot (`model` is a string or `{id}`), or null. */
function snapshotModel(agentSnapshot: Record<string, unknown>): string | null {
  const model = agentSnapshot.model;
  if (typeof model === "string") return model;
  if (typeof model === "object" && model !== null && typeof (model as { id?: unknown }).id === "string") return (model as { id: string }).id;
  return null;
}

/**
 * A budget counts list cost, so every model the session can run needs a list price
 * (lib/model/prices.ts); otherwise the request is refused with `model_not_budgetable`.
 */
export function assertBudgetable(agentSnapshot: Record<string, unknown>): void {
  const model = snapshotModel(agentSnapshot);
  if (model === null || modelPrice(model) === null) {
    throw new AppError("invalid_request", `budget: the model ${model === null ? "(none)" : model.slice(0, 256)} has no list price, so a budget cannot measure it`, {
      errorCode: "model_not_budgetable",
      path: "budget",
    });
  }
}

/**
 * Checks an update's `budget` against the session: a budget is only replaced on a session that has
 * one (`budget_create_only`: one cannot be added later, nor re-added once removed), and a new limit
 * must be above what the session has already spent (`budget_not_raised`). Null removes it.
 * Returns the budget to store, or undefined when the update leaves it as it is.
 */
export function budgetUpdate(
  session: { budget: unknown; agentSnapshot: Record<string, unknown>; state: { usage: TSessionUsage } },
  next: TBudget | null,
): { budget: TBudget | null } | undefined {
  const current = budgetOf(session.budget);
  if (next === null) return current === null ? undefined : { budget: null };
  if (current === null) {
    throw new AppError("invalid_request", "budget: this session has no budget; a budget can only be set when the session is created", {
      errorCode: "budget_create_only",
      path: "budget",
    });
  }
  assertBudgetable(session.agentSnapshot);
  const spent = listCostCents(session.state.usage);
  if (spent === null) {
    throw new AppError("invalid_request", "budget: the session ran a model without a list price, so a budget cannot measure it", {
      errorCode: "model_not_budgetable",
      path: "budget",
    });
  }
  if (Number(next.max_list_cost.amount) <= spent) {
    throw new AppError(
      "invalid_request",
      `budget.max_list_cost.amount: must be above the ${spent} cents the session has already spent`,
      { errorCode: "budget_not_raised", path: "budget.max_list_cost.amount" },
    );
  }
  return JSON.stringify(next) === JSON.stringify(current) ? undefined : { budget: next };
}
