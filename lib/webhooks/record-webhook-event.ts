import "server-only";
import { Prisma, type PrismaClient } from "@/lib/generated/prisma/client";
import { newId } from "@/lib/ids";
import { deliveriesSql } from "./append-outbox";
import type { TWebhookEventType } from "./event-types";

type TSqlClient = Pick<PrismaClient, "$executeRaw">;

/**
 * Queues a webhook event about a session that is not an event of its log (`session.created`,
 * `session.archived`, `session.deleted`): one delivery per endpoint of the team subscribed to it.
 * Given a transaction client, it commits with the change it announces.
 */
export function recordWebhookEvent(db: TSqlClient, options: { teamId: string; sessionId: string; type: TWebhookEventType; at?: Date }) {
  const session = Prisma.sql`(SELECT ${options.sessionId}::text AS "id", ${options.teamId}::text AS "teamId")`;
  const at = (options.at ?? new Date()).toISOString();
  return db.$executeRaw(deliveriesSql(session, [{ eventId: newId("webhookEvent"), type: options.type, threadId: null }], at));
}
