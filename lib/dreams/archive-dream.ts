import "server-only";
import { AppError } from "@/lib/errors";
import { clockOf, type TDreamDeps } from "./dream-deps";
import { isFinalStatus } from "./dream-status";
import { dreamToWire } from "./dream-to-wire";
import { findTeamDream } from "./find-team-dream";

/**
 * `POST /v1/dreams/{id}/archive`: hides a final dream from the default list. A pending or running
 * dream is a 400 (cancel it first); an archived one comes back unchanged. Archiving is for good.
 */
export async function archiveDream(deps: Pick<TDreamDeps, "prisma" | "now">, options: { teamId: string; dreamId: string }) {
  const found = await findTeamDream(deps.prisma, options.teamId, options.dreamId);
  if (found.dream.archivedAt) return dreamToWire(found.dream, found.view);
  if (!isFinalStatus(found.view.state.status)) {
    throw new AppError("invalid_request", `dream ${found.dream.id} is ${found.view.state.status}: cancel it before archiving it`);
  }
  await deps.prisma.dream.updateMany({ where: { id: found.dream.id, archivedAt: null }, data: { archivedAt: clockOf(deps) } });
  const archived = await findTeamDream(deps.prisma, options.teamId, options.dreamId);
  return dreamToWire(archived.dream, archived.view);
}
