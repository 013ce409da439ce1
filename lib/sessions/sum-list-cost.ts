import { Prisma, type PrismaClient } from "@/lib/generated/prisma/client";
import { listCostUsd } from "@/lib/event-log/usage";

export type TListCostTotal = {
  /** Sessions counted (archived ones included: what they spent stays spent). */
  sessions: number;
  /** Exact US dollars of the sessions whose cost is known. */
  usd: number;
  /** Sessions that ran a model without a list price: their cost is not in `usd`. */
  unpricedSessions: number;
};

/**
 * What a team's sessions have spent at list prices, in total or for one agent: one aggregate
 * over the sessions' folded `usage` (the store keeps it current with every append), using the
 * `(teamId, agentId, id)` and `(teamId, …)` indexes; no log is read.
 */
export async function sumListCost(deps: { prisma: PrismaClient }, options: { teamId: string; agentId?: string }): Promise<TListCostTotal> {
  const byAgent = options.agentId === undefined ? Prisma.empty : Prisma.sql`AND "agentId" = ${options.agentId}`;
  const [row] = await deps.prisma.$queryRaw<Array<{ sessions: bigint; nanos: string | null; unpriced: bigint }>>(Prisma.sql`
    SELECT count(*) AS "sessions",
           sum(COALESCE(("usage" ->> 'list_cost_nano_usd')::numeric, 0))
             FILTER (WHERE COALESCE(("usage" ->> 'unpriced_requests')::numeric, 0) = 0)::text AS "nanos",
           count(*) FILTER (WHERE COALESCE(("usage" ->> 'unpriced_requests')::numeric, 0) > 0) AS "unpriced"
    FROM "Session"
    WHERE "teamId" = ${options.teamId} ${byAgent}`);
  return {
    sessions: Number(row?.sessions ?? 0),
    usd: listCostUsd({ input_tokens: 0, list_cost_nano_usd: Number(row?.nanos ?? 0) }) ?? 0,
    unpricedSessions: Number(row?.unpriced ?? 0),
  };
}
