import "server-only";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import type { SessionStore } from "@/lib/event-log/session-store";

/**
 * What the dream use-cases run on: the database, the session log (a dream's session is created and
 * interrupted through it), a nudge to this process's harness (`onWake`) and to its dream runner
 * (`onDream`: a new dream starts now rather than at the runner's next pass), and the clock.
 */
export type TDreamDeps = { prisma: PrismaClient; store: SessionStore; onWake?: () => void; onDream?: () => void; now?: () => Date };

export const clockOf = (deps: { now?: () => Date }): Date => (deps.now ? deps.now() : new Date());
