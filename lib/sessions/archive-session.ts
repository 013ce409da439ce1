import type { PrismaClient } from "@/lib/generated/prisma/client";
import { AppError } from "@/lib/errors";
import type { SessionStore } from "@/lib/event-log/session-store";
import { recordWebhookEvent } from "@/lib/webhooks/record-webhook-event";
import { findTeamSession } from "./find-team-session";
import { sessionToWire } from "./session-to-wire";

/**
 * Archives a session: its history stays, it accepts no new events, it reads `terminated`. The
 * `session.archived` webhook is queued in the same transaction.
 */
export async function archiveSession(deps: { prisma: PrismaClient; store: SessionStore }, options: { teamId: string; sessionId: string }) {
  const session = await findTeamSession(deps.store, options.teamId, options.sessionId);
  if (session.archivedAt) return sessionToWire(session);
  if (session.state.status === "running") throw new AppError("conflict", `session ${session.id} is running: interrupt it before archiving it`);
  const archivedAt = new Date();
  await deps.prisma.$transaction([
    deps.prisma.session.update({ where: { id: session.id }, data: { archivedAt } }),
    recordWebhookEvent(deps.prisma, { teamId: session.teamId, sessionId: session.id, type: "session.archived", at: archivedAt }),
  ]);
  return sessionToWire((await deps.store.getSession(session.id))!);
}
