import type { PrismaClient } from "@/lib/generated/prisma/client";
import { newId } from "@/lib/ids";
import { sessionEnvironmentsOf } from "@/lib/event-log/session-environments";
import { additionalOf } from "@/lib/event-log/prisma/rows";
import { configFromJson } from "../environment-config";
import { DEFAULT_WORK_TTL_SECONDS, LIVE_WORK_STATES } from "./find-work";
import type { TWorkSignal } from "./work-signal";

/**
 * Queues a work item for a session in one of its self-hosted environments (`environmentId`, the
 * primary by default; a session may have several, README "Several hands per session"), unless it
 * already has a live one there (queued, starting or active): the worker that holds it serves the
 * session's tool calls routed to that environment until the session has been idle a while, so one
 * item per environment covers them all. Returns the live item's id, or null when that environment
 * is not self-hosted or not the session's (or the session is gone). The session's row is locked while it looks, so
 * two requests at once make one item. Its lease lasts `ttlSeconds` (WORK_ITEM_TTL_SECONDS) from the
 * ack and from each heartbeat, unless a heartbeat asks for another (`desired_ttl_seconds`).
 */
export async function enqueueSessionWork(
  deps: { prisma: PrismaClient; signal?: TWorkSignal; ttlSeconds?: number },
  options: { sessionId: string; environmentId?: string },
): Promise<string | null> {
  const result = await deps.prisma.$transaction(async (tx) => {
    const rows = await tx.$queryRaw<{ environmentId: string; additionalEnvironments: unknown }[]>`SELECT "environmentId", "additionalEnvironments" FROM "Session" WHERE "id" = ${options.sessionId} FOR UPDATE`;
    const session = rows[0];
    if (!session) return null;
    const environments = sessionEnvironmentsOf({ environmentId: session.environmentId, ...additionalOf(session.additionalEnvironments) });
    const environmentId = options.environmentId ?? session.environmentId;
    if (!environments.some((e) => e.id === environmentId)) return null;
    const environment = await tx.environment.findUnique({ where: { id: environmentId }, select: { config: true } });
    if (!environment || configFromJson(environment.config).type !== "self_hosted") return null;
    const live = await tx.environmentWork.findFirst({ where: { sessionId: options.sessionId, environmentId, state: { in: [...LIVE_WORK_STATES] } }, select: { id: true } });
    if (live) return { id: live.id, environmentId, created: false };
    const row = await tx.environmentWork.create({
      data: { id: newId("work"), environmentId, sessionId: options.sessionId, state: "queued", metadata: {}, ttlSeconds: deps.ttlSeconds ?? DEFAULT_WORK_TTL_SECONDS },
    });
    return { id: row.id, environmentId, created: true };
  });
  if (result?.created) deps.signal?.notify(result.environmentId);
  return result?.id ?? null;
}
