import "server-only";
import { AppError } from "@/lib/errors";
import { log } from "@/lib/log";
import { clockOf, type TDreamDeps } from "./dream-deps";
import { dreamToWire } from "./dream-to-wire";
import { findTeamDream } from "./find-team-dream";

/**
 * `POST /v1/dreams/{id}/cancel`: records the cancel (`canceledAt`, written once) and interrupts the
 * dream's session if it exists; a job not yet started never starts its session (start-dream.ts
 * checks the cancel before and after creating it). The answer is read again after the write: a
 * session that ended before the cancel leaves the dream `completed` or `failed` (the fold's earliest
 * fact wins). A canceled dream comes back unchanged; a completed or failed one is a 400.
 */
export async function cancelDream(deps: TDreamDeps, options: { teamId: string; dreamId: string }) {
  const found = await findTeamDream(deps.prisma, options.teamId, options.dreamId);
  const status = found.view.state.status;
  if (status === "canceled") return dreamToWire(found.dream, found.view);
  if (status === "completed" || status === "failed") throw new AppError("invalid_request", `dream ${found.dream.id} is ${status}: only a pending or running dream can be canceled`);
  await deps.prisma.dream.updateMany({ where: { id: found.dream.id, canceledAt: null }, data: { canceledAt: clockOf(deps) } });
  if (found.dream.sessionId && found.view.sessionExists) await interruptDreamSession(deps, found.dream.sessionId);
  const canceled = await findTeamDream(deps.prisma, options.teamId, options.dreamId);
  return dreamToWire(canceled.dream, canceled.view);
}

/** Sends the dream's session a `user.interrupt` (the harness stops its turn); a session already ended or gone is left as it is. */
export async function interruptDreamSession(deps: Pick<TDreamDeps, "store" | "onWake">, sessionId: string): Promise<void> {
  try {
    await deps.store.appendEvents(sessionId, [{ type: "user.interrupt" }], { wake: true, idempotencyKey: `dream-cancel:${sessionId}` });
    deps.onWake?.();
  } catch (error) {
    log.warn("dream session interrupt failed", { sessionId, error: error instanceof Error ? error.message : String(error) });
  }
}
