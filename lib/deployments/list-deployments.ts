import "server-only";
import { Prisma } from "@/lib/generated/prisma/client";
import { AppError } from "@/lib/errors";
import { isId } from "@/lib/ids";
import { queryCreatedAt } from "@/lib/memory-stores/query-time-range";
import { decodeCursor, encodeCursor } from "@/lib/resource/cursor";
import { queryBoolean, queryLimit } from "@/lib/resource/query";
import { clockOf, type TDeploymentDeps } from "./deployment-deps";
import { deploymentToWire } from "./deployment-to-wire";

/**
 * `GET /v1/deployments`: the team's deployments, newest first, in pages of `limit` (default 20)
 * with an opaque cursor; archived ones only with `include_archived=true`; filters `agent_id`,
 * `status` (active|paused) and `created_at[gte|lte]`.
 */
export async function listDeployments(deps: TDeploymentDeps, options: { teamId: string; query: URLSearchParams }) {
  const q = options.query;
  const limit = queryLimit(q);
  const page = q.get("page");
  const cursor = page ? decodeCursor(page) : null;
  if (cursor && (typeof cursor.id !== "string" || !isId("deployment", cursor.id))) throw new AppError("invalid_request", "page: not a cursor returned by this API");
  const status = q.get("status");
  if (status && status !== "active" && status !== "paused") throw new AppError("invalid_request", "status: must be one of active, paused");
  const agentId = q.get("agent_id");
  const createdAt = queryCreatedAt(q);
  const where: Prisma.DeploymentWhereInput = {
    teamId: options.teamId,
    ...(queryBoolean(q, "include_archived") ? {} : { archivedAt: null }),
    ...(createdAt ? { createdAt } : {}),
    ...(agentId ? { agent: { path: ["id"], equals: agentId } } : {}),
    ...(status ? { pausedReason: status === "paused" ? { not: Prisma.DbNull } : { equals: Prisma.DbNull } } : {}),
    ...(cursor ? { id: { lt: cursor.id as string } } : {}),
  };
  const rows = await deps.prisma.deployment.findMany({ where, orderBy: { id: "desc" }, take: limit + 1 });
  const items = rows.slice(0, limit);
  const now = clockOf(deps);
  return { data: items.map((d) => deploymentToWire(d, now)), next_page: rows.length > limit ? encodeCursor({ id: items.at(-1)!.id }) : null };
}
