import { formatUsd } from "@/lib/timeline/estimate-cost";

export type TListCostTotalProps = {
  /** What the sessions spent at list prices (lib/sessions/sum-list-cost.ts). */
  total: { sessions: number; usd: number; unpricedSessions: number };
  /** Whose sessions: "this agent's", "the team's". */
  whose: string;
};

/** A total of list cost over sessions, saying how many sessions ran a model without a list price. */
export function ListCostTotal({ total, whose }: TListCostTotalProps) {
  const sessions = `${total.sessions} session${total.sessions === 1 ? "" : "s"}`;
  return (
    <p className="text-sm text-zinc-600 dark:text-zinc-400" data-testid="list-cost-total">
      List cost of {whose} {sessions}: <strong className="font-semibold text-zinc-900 tabular-nums dark:text-zinc-100">{formatUsd(total.usd)}</strong>
      {total.unpricedSessions > 0 ? (
        <span>
          {" "}
          (not counting {total.unpricedSessions} that ran a model without a list price)
        </span>
      ) : null}
    </p>
  );
}
