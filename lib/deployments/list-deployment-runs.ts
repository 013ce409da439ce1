import "server-only";
import { Prisma, type PrismaClient } from "@/lib/generated/prisma/client";
import { AppError } from "@/lib/errors";
import { isId } from "@/lib/ids";
import { decodeCursor, encodeCursor } from "@/lib/resource/cursor";
import { queryBoolean, queryLimit } from "@/lib/resource/query";
import { deploymentRunToWire } from "./deployment-run-to-wire";

/**
 * `GET /v1/deployment_runs`: the team's runs, newest first, in cursor pages; filters
 * `deployment_id` (an unknown one lists nothing), `has_error` (true: runs with an error, false: runs
 * with a session), `trigger_type` (schedule|manual) and `created_at[gt|gte|lt|lte]`.
 */
export async function listDeploymentRuns(prisma: PrismaClient, options: { teamId: string; query: URLSearchParams }) {
  const q = options.query;
  const limit = queryLimit(q);
  const page = q.get("page");
  const cursor = page ? decodeCursor(page) : null;
  if (cursor && (typeof cursor.id !== "string" || !isId("deploymentRun", cursor.id))) throw new AppError("invalid_request", "page: not a cursor returned by this API");
  const trigger = q.get("trigger_type");
  if (trigger && trigger !== "schedule" && trigger !== "manual") throw new AppError("invalid_request", "trigger_type: must be one of schedule, manual");
  const hasError = q.has("has_error") && q.get("has_error") !== "" ? queryBoolean(q, "has_error") : undefined;
  const deploymentId = q.get("deployment_id");
  const where: Prisma.DeploymentRunWhereInput = {
    teamId: options.teamId,
    ...(deploymentId ? { deploymentId } : {}),
    ...(trigger ? { triggerType: trigger } : {}),
    ...(hasError === true ? { error: { not: Prisma.DbNull } } : {}),
    ...(hasError === false ? { sessionId: { not: null } } : {}),
    ...createdAtFilter(q),
    ...(cursor ? { id: { lt: cursor.id as string } } : {}),
  };
  const rows = await prisma.deploymentRun.findMany({ where, orderBy: { id: "desc" }, take: limit + 1 });
  const items = rows.slice(0, limit);
  return { data: items.map(deploymentRunToWire), next_page: rows.length > limit ? encodeCursor({ id: items.at(-1)!.id }) : null };
}

function createdAtFilter(q: URLSearchParams): { createdAt?: Prisma.DateTimeFilter } {
  const range: Prisma.DateTimeFilter = {};
  for (const bound of ["gt", "gte", "lt", "lte"] as const) {
    const raw = q.get(`created_at[${bound}]`);
    if (raw === null || raw === "") continue;
    const time = Date.parse(raw);
    if (!/^\d{4}-\d{2}-\d{2}T/.test(raw) || Number.isNaN(time)) throw new AppError("invalid_request", `created_at[${bound}]: must be an RFC 3339 timestamp such as 2026-01-01T00:00:00Z`);
    range[bound] = new Date(time);
  }
  return Object.keys(range).length > 0 ? { createdAt: range } : {};
}
