import "server-only";
import type { Dream } from "@/lib/generated/prisma/client";
import { newId } from "@/lib/ids";
import { clockOf, type TDreamDeps } from "./dream-deps";
import { startDream } from "./start-dream";

/** How many dreams one pass starts at most (the next pass takes the rest). */
const BATCH = 10;

/** A claim older than this whose job has not started is taken again (its worker died). */
export const CLAIM_TTL_MS = 2 * 60_000;

/**
 * One pass of the dream runner: claims dreams to start — never claimed, or claimed more than
 * CLAIM_TTL_MS ago by a worker that did not finish starting them — and starts each (start-dream.ts).
 * Neither canceled nor failed ones. The claim is a compare-and-set on `claimedAt` (the value this
 * pass read), so among many processes one claims a dream; it also fixes the dream's session id the
 * first time, which a later claim keeps.
 */
export async function runPendingDreams(deps: TDreamDeps): Promise<{ started: string[] }> {
  const now = clockOf(deps);
  const candidates = await deps.prisma.dream.findMany({
    where: { startedAt: null, failedAt: null, canceledAt: null, OR: [{ claimedAt: null }, { claimedAt: { lt: new Date(now.getTime() - CLAIM_TTL_MS) } }] },
    orderBy: { id: "asc" },
    take: BATCH,
  });
  const started: string[] = [];
  for (const candidate of candidates) {
    const claimed = await claimDream(deps, candidate, now);
    if (!claimed) continue;
    await startDream(deps, claimed);
    started.push(claimed.id);
  }
  return { started };
}

async function claimDream(deps: TDreamDeps, candidate: Dream, now: Date): Promise<Dream | null> {
  const sessionId = candidate.sessionId ?? newId("session", now.getTime());
  const moved = await deps.prisma.dream.updateMany({
    where: { id: candidate.id, claimedAt: candidate.claimedAt, startedAt: null, failedAt: null, canceledAt: null },
    data: { claimedAt: now, sessionId },
  });
  return moved.count === 1 ? { ...candidate, claimedAt: now, sessionId } : null;
}
