import type { PrismaClient } from "@/lib/generated/prisma/client";
import type { TSessionHand, TSessionHands } from "@/lib/harness/session-hands";
import { sessionEnvironmentsOf } from "@/lib/event-log/session-environments";
import { additionalOf } from "@/lib/event-log/prisma/rows";
import { configFromJson } from "../environment-config";
import { enqueueSessionWork } from "./enqueue-session-work";
import type { TWorkSignal } from "./work-signal";

const CACHE_LIMIT = 10_000;

/**
 * The harness's view of a session's environments (`TSessionHands`) over the work queue. Which
 * environments a session has is fixed at its creation, and whether one's tools run on workers is
 * its config type, which never changes (`invalid_config_type_change`), so the answer is remembered
 * per session (a bounded map).
 */
export function createSessionHands(deps: { prisma: PrismaClient; signal?: TWorkSignal; ttlSeconds?: number }): TSessionHands {
  const known = new Map<string, TSessionHand[]>();
  return {
    async environments(sessionId) {
      const cached = known.get(sessionId);
      if (cached !== undefined) return cached;
      const row = await deps.prisma.session.findUnique({ where: { id: sessionId }, select: { environmentId: true, additionalEnvironments: true } });
      if (!row) return [];
      const refs = sessionEnvironmentsOf({ environmentId: row.environmentId, ...additionalOf(row.additionalEnvironments) });
      const configs = await deps.prisma.environment.findMany({ where: { id: { in: refs.map((r) => r.id) } }, select: { id: true, config: true } });
      const hands = refs.map((ref) => {
        const config = configs.find((c) => c.id === ref.id)?.config;
        return { ...ref, byWorkers: config !== undefined && configFromJson(config).type === "self_hosted" };
      });
      if (known.size >= CACHE_LIMIT) known.delete(known.keys().next().value!);
      known.set(sessionId, hands);
      return hands;
    },
    async request(sessionId, environmentId) {
      await enqueueSessionWork(deps, { sessionId, environmentId });
    },
  };
}
