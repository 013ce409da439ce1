import type { EnvironmentWork, PrismaClient } from "@/lib/generated/prisma/client";
import { AppError } from "@/lib/errors";
import { assertOwner, findHostedEnvironment, findWork, MAX_WORK_TTL_SECONDS, MIN_WORK_TTL_SECONDS, type TWorkCaller } from "./find-work";
import { databaseNow } from "./database-now";
import { queryInt } from "./query-int";

const NO_HEARTBEAT = "NO_HEARTBEAT";

/**
 * `POST /v1/environments/{id}/work/{work_id}/heartbeat`: extends the item's lease by its ttl
 * (`desired_ttl_seconds`, 5–3600, replaces it) and records the heartbeat (starting → active).
 * `expected_last_heartbeat` is the lease's version: `NO_HEARTBEAT` for the first beat, then the
 * `last_heartbeat` the previous one returned; another value is a 412 `heartbeat_precondition_failed`
 * carrying the lease as the server holds it, and nothing changes (another worker may hold it).
 * A stopping or stopped item is not compared: the answer says `lease_extended: false`, which tells
 * the worker to finish.
 *
 * Decision: a retry is not a stale precondition. The item's token is the current claim's alone
 * (a new poll of the item issues a new one and ends the old), so when the token's holder names the
 * heartbeat just before the latest (`NO_HEARTBEAT` after the first), the latest was its own and
 * the answer to it was lost (a web process killed after the commit, a proxy that cut the reply).
 * The SDK's worker then retries with the value it still holds, and a 412 would make it give the
 * item up without stopping it ("lease lost"), leaving the session unserved until the lease ran
 * out. Such a retry extends the lease as a heartbeat naming the latest would. Any other value, and
 * any mismatch from a caller without the item's token (an API or environment key), is still a 412.
 */
export async function heartbeatWork(deps: { prisma: PrismaClient }, options: { caller: TWorkCaller; environmentId: string; workId: string; query: URLSearchParams }) {
  const ttlWanted = queryInt(options.query, "desired_ttl_seconds", MIN_WORK_TTL_SECONDS, MAX_WORK_TTL_SECONDS);
  const expected = options.query.get("expected_last_heartbeat");
  const env = await findHostedEnvironment(deps.prisma, options.caller.teamId, options.environmentId);
  const row = await findWork(deps.prisma, env.id, options.workId);
  assertOwner(row, options.caller);
  if (row.state === "stopping" || row.state === "stopped") return response(row, false);
  if (row.state === "queued") throw new AppError("conflict", `work ${row.id} is queued: acknowledge it before heartbeating`, { errorCode: "work_not_acknowledged" });
  if (expected !== null && expected !== lastHeartbeat(row) && !(options.caller.work && isRetryOfLatest(row, expected))) throw preconditionFailed(row);
  const ttlSeconds = ttlWanted ?? row.ttlSeconds;
  // A heartbeat's time is the lease's version: it must differ from the one it replaces.
  const now = new Date(Math.max((await databaseNow(deps.prisma)).getTime(), (row.latestHeartbeatAt?.getTime() ?? 0) + 1));
  const { count } = await deps.prisma.environmentWork.updateMany({
    where: { id: row.id, state: row.state, latestHeartbeatAt: row.latestHeartbeatAt },
    data: {
      state: "active",
      startedAt: row.startedAt ?? now,
      latestHeartbeatAt: now,
      previousHeartbeatAt: row.latestHeartbeatAt,
      leaseExpiresAt: new Date(now.getTime() + ttlSeconds * 1000),
      ttlSeconds,
    },
  });
  const current = (await deps.prisma.environmentWork.findUnique({ where: { id: row.id } }))!;
  if (count !== 1) {
    if (current.state === "stopping" || current.state === "stopped") return response(current, false);
    throw preconditionFailed(current);
  }
  return response(current, true);
}

const lastHeartbeat = (row: EnvironmentWork) => row.latestHeartbeatAt?.toISOString() ?? NO_HEARTBEAT;

/** `expected` names the heartbeat before the latest one (`NO_HEARTBEAT` when the latest was the first). */
const isRetryOfLatest = (row: EnvironmentWork, expected: string) =>
  row.latestHeartbeatAt !== null && expected === (row.previousHeartbeatAt?.toISOString() ?? NO_HEARTBEAT);

function response(row: EnvironmentWork, extended: boolean) {
  return {
    type: "work_heartbeat" as const,
    last_heartbeat: row.latestHeartbeatAt?.toISOString() ?? "",
    lease_extended: extended,
    state: row.state,
    ttl_seconds: row.ttlSeconds,
  };
}

function preconditionFailed(row: EnvironmentWork): AppError {
  return new AppError("precondition_failed", `expected_last_heartbeat does not match the lease of work ${row.id}: another worker may hold it`, {
    errorCode: "heartbeat_precondition_failed",
    errorDetails: {
      current_state: { state: row.state, last_heartbeat: row.latestHeartbeatAt?.toISOString() ?? null, lease_extended: false, ttl_seconds: row.ttlSeconds },
    },
  });
}
