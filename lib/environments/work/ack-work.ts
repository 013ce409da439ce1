import type { PrismaClient } from "@/lib/generated/prisma/client";
import { AppError } from "@/lib/errors";
import { databaseNow } from "./database-now";
import { assertOwner, findHostedEnvironment, findWork, type TWorkCaller } from "./find-work";
import { workToWire } from "./work-to-wire";

/**
 * How long an acknowledged item waits for its worker's first heartbeat, in seconds (or its ttl, if
 * shorter). Decision: not the whole ttl. The SDK's worker heartbeats at once after its ack and runs
 * nothing before that heartbeat succeeds, so an item acked with no heartbeat is one whose worker
 * never learned it had it: the ack's answer was lost (a web process killed after its commit, a
 * proxy that cut the reply) and the SDK's retry of the ack got a 409 and moved on. With the full
 * ttl (300 s) such an item would sit unserved for five minutes; after this window the next poll
 * hands it out again, with a new token.
 */
export const ACK_CLAIM_SECONDS = 30;

/**
 * `POST /v1/environments/{id}/work/{work_id}/ack`: the worker a poll handed the item to takes it
 * (queued → starting); its lease runs for `ACK_CLAIM_SECONDS` (or the item's ttl, if shorter) from
 * now, until the first heartbeat extends it by the ttl. An item that is not queued, or that no poll
 * handed out, is a 409 (`work_not_queued`), and nothing changes; another worker's id is a 403.
 */
export async function ackWork(deps: { prisma: PrismaClient }, options: { caller: TWorkCaller; environmentId: string; workId: string }) {
  const env = await findHostedEnvironment(deps.prisma, options.caller.teamId, options.environmentId);
  const row = await findWork(deps.prisma, env.id, options.workId);
  assertOwner(row, options.caller);
  if (row.state !== "queued" || !row.polledAt) throw notQueued(row.id, row.state);
  const now = await databaseNow(deps.prisma);
  const { count } = await deps.prisma.environmentWork.updateMany({
    where: { id: row.id, state: "queued", polledAt: row.polledAt },
    data: { state: "starting", acknowledgedAt: now, leaseExpiresAt: new Date(now.getTime() + Math.min(row.ttlSeconds, ACK_CLAIM_SECONDS) * 1000) },
  });
  if (count !== 1) throw notQueued(row.id, "taken by another poll");
  return workToWire((await deps.prisma.environmentWork.findUnique({ where: { id: row.id } }))!);
}

const notQueued = (workId: string, state: string) =>
  new AppError("conflict", `work ${workId} cannot be acknowledged: it is ${state}, and only an item a poll handed out and nobody acknowledged yet can be`, {
    errorCode: "work_not_queued",
  });
