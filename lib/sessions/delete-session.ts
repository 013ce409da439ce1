import type { PrismaClient } from "@/lib/generated/prisma/client";
import { AppError } from "@/lib/errors";
import type { EventBus } from "@/lib/realtime/event-bus";
import type { SessionStore } from "@/lib/event-log/session-store";
import { recordWebhookEvent } from "@/lib/webhooks/record-webhook-event";
import { findTeamSession } from "./find-team-session";

/**
 * Deletes a session with its events (a running one must be interrupted first). Open streams get
 * `session.deleted` and are closed; the `session.deleted` webhook is queued with the deletion.
 */
export async function deleteSession(deps: { prisma: PrismaClient; store: SessionStore; bus: EventBus }, options: { teamId: string; sessionId: string }) {
  const session = await findTeamSession(deps.store, options.teamId, options.sessionId);
  if (session.state.status === "running") throw new AppError("conflict", `session ${session.id} is running: interrupt it before deleting it`);
  await deps.prisma.$transaction([
    deps.prisma.session.delete({ where: { id: session.id } }),
    recordWebhookEvent(deps.prisma, { teamId: session.teamId, sessionId: session.id, type: "session.deleted" }),
  ]);
  deps.bus.publish(session.id, { kind: "deleted" });
  return { id: session.id, type: "session_deleted" as const };
}
