import type { PrismaClient } from "@/lib/generated/prisma/client";
import type { SessionStore } from "@/lib/event-log/session-store";
import { AppError } from "@/lib/errors";
import { databaseNow } from "./database-now";
import { enqueueSessionWork } from "./enqueue-session-work";
import { assertOwner, findHostedEnvironment, findWork, type TWorkCaller } from "./find-work";
import { sessionNeedsWorker } from "./session-needs-worker";
import type { TWorkSignal } from "./work-signal";
import { workToWire } from "./work-to-wire";

/**
 * `POST /v1/environments/{id}/work/{work_id}/stop`: `force: true` (or an item no worker took yet)
 * stops it at once: its token dies with it. Otherwise it is `stopping`: the worker learns it from
 * its next heartbeat (`lease_extended: false`), finishes and stops it with `force`. A stopped item is
 * a 409 (the SDK's worker takes that for "already stopped"). When the session still waits for a
 * worker after its item stopped (a tool call came in as the worker was leaving), a new item is queued.
 */
export async function stopWork(
  deps: { prisma: PrismaClient; store: SessionStore; signal: TWorkSignal; ttlSeconds?: number },
  options: { caller: TWorkCaller; environmentId: string; workId: string; body: Record<string, unknown> },
) {
  const force = options.body.force;
  if (force !== undefined && force !== null && typeof force !== "boolean") throw new AppError("invalid_request", "force: must be a boolean", { path: "force" });
  const unknown = Object.keys(options.body).filter((k) => k !== "force");
  if (unknown.length > 0) throw new AppError("invalid_request", `body: unknown field "${unknown[0]!.slice(0, 64)}"`);
  const env = await findHostedEnvironment(deps.prisma, options.caller.teamId, options.environmentId);
  const row = await findWork(deps.prisma, env.id, options.workId);
  assertOwner(row, options.caller);
  if (row.state === "stopped") throw new AppError("conflict", `work ${row.id} is already stopped`, { errorCode: "work_stopped" });
  const now = await databaseNow(deps.prisma);
  const atOnce = force === true || row.state === "queued";
  const { count } = await deps.prisma.environmentWork.updateMany({
    where: { id: row.id, state: { not: "stopped" } },
    data: atOnce
      ? { state: "stopped", stoppedAt: now, stopRequestedAt: row.stopRequestedAt ?? now, tokenHash: null, leaseExpiresAt: null }
      : { state: "stopping", stopRequestedAt: row.stopRequestedAt ?? now },
  });
  if (count !== 1) throw new AppError("conflict", `work ${row.id} is already stopped`, { errorCode: "work_stopped" });
  if (atOnce && (await sessionNeedsWorker(deps.store, row.sessionId, row.environmentId))) {
    await enqueueSessionWork({ prisma: deps.prisma, signal: deps.signal, ttlSeconds: deps.ttlSeconds }, { sessionId: row.sessionId, environmentId: row.environmentId });
  }
  return workToWire((await deps.prisma.environmentWork.findUnique({ where: { id: row.id } }))!);
}
