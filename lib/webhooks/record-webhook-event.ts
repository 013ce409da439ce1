import "server-only";
import { Prisma, type PrismaClient } from "@/lib/generated/prisma/client";
import { newId } from "@/lib/ids";
import { deliveriesSql } from "./append-outbox";
import type { TWebhookEventType } from "./event-types";

type TSqlClient = Pick<PrismaClient, "$executeRaw">;

/**
 * Queues a webhook event that is not an event of a session's log: about a session
 * (`session.created`, `session.archived`, `session.deleted`; `sessionId`) or about another of the
 * team's objects (`agent.created`, `deployment_run.started`…; `subjectId`, the object's id, which
 * the envelope's `data.id` names). One delivery per endpoint of the team subscribed to the type.
 * Given a transaction client (or put in a `$transaction` batch), it commits with the change it
 * announces, or not at all.
 */
export function recordWebhookEvent(
  db: TSqlClient,
  options: { teamId: string; type: TWebhookEventType; at?: Date } & ({ sessionId: string } | { subjectId: string }),
) {
  const subjectId = "sessionId" in options ? options.sessionId : options.subjectId;
  const subject = Prisma.sql`(SELECT ${subjectId}::text AS "id", ${options.teamId}::text AS "teamId")`;
  const at = (options.at ?? new Date()).toISOString();
  return db.$executeRaw(deliveriesSql(subject, [{ eventId: newId("webhookEvent"), type: options.type, threadId: null }], at));
}
