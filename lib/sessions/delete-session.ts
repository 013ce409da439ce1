import type { PrismaClient } from "@/lib/generated/prisma/client";
import { AppError } from "@/lib/errors";
import type { EventBus } from "@/lib/realtime/event-bus";
import type { SessionStore } from "@/lib/event-log/session-store";
import { findTeamSession } from "./find-team-session";

/**
 * Deletes a session with its events (a running one must be interrupted first). Open streams get
 * `session.deleted` and are closed.
 */
export async function deleteSession(deps: { prisma: PrismaClient; store: SessionStore; bus: EventBus }, options: { teamId: string; sessionId: string }) {
  const session = await findTeamSession(deps.store, options.teamId, options.sessionId);
  if (session.state.status === "running") throw new AppError("conflict", `session ${session.id} is running: interrupt it before deleting it`);
  await deps.prisma.session.delete({ where: { id: session.id } });
  deps.bus.publish(session.id, { kind: "deleted" });
  return { id: session.id, type: "session_deleted" as const };
}
