import type { PrismaClient } from "@/lib/generated/prisma/client";
import type { TSessionHands } from "@/lib/harness/session-hands";
import { configFromJson } from "../environment-config";
import { enqueueSessionWork } from "./enqueue-session-work";
import type { TWorkSignal } from "./work-signal";

const CACHE_LIMIT = 10_000;

/**
 * The harness's view of self-hosted environments (`TSessionHands`) over the work queue. Whether a
 * session's tools run on workers is its environment's config type, which never changes
 * (`invalid_config_type_change`), so the answer is remembered per session (a bounded map).
 */
export function createSessionHands(deps: { prisma: PrismaClient; signal?: TWorkSignal; ttlSeconds?: number }): TSessionHands {
  const known = new Map<string, boolean>();
  return {
    async runByWorkers(sessionId) {
      const cached = known.get(sessionId);
      if (cached !== undefined) return cached;
      const row = await deps.prisma.session.findUnique({ where: { id: sessionId }, select: { environment: { select: { config: true } } } });
      const byWorkers = row ? configFromJson(row.environment.config).type === "self_hosted" : false;
      if (known.size >= CACHE_LIMIT) known.delete(known.keys().next().value!);
      known.set(sessionId, byWorkers);
      return byWorkers;
    },
    async request(sessionId) {
      await enqueueSessionWork(deps, { sessionId });
    },
  };
}
