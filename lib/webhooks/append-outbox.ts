import "server-only";
import type { TEventBody } from "@/lib/event-log/events";
import type { TransactionalAppendOutbox } from "@/lib/event-log/session-store";
import { Prisma } from "@/lib/generated/prisma/client";
import { newId } from "@/lib/ids";
import { WEBHOOK_TYPE_OF_LOG_EVENT } from "./event-types";

/** A webhook event derived from one event of the log, before it is fanned out to endpoints. */
export type TDerivedWebhookEvent = { eventId: string; type: string; threadId: string | null };

/**
 * The webhook events a batch of the session log announces: one for each status change (and
 * `session.updated`, a thread's creation and status, and `session.budget_reached` with the idle
 * whose stop reason says so), in the log's order. Pure, so it is tested
 * without a database.
 */
export function webhookEventsOf(events: ReadonlyArray<{ body: TEventBody }>, newEventId: () => string = () => newId("webhookEvent")): TDerivedWebhookEvent[] {
  const derived: TDerivedWebhookEvent[] = [];
  for (const { body } of events) {
    const type = WEBHOOK_TYPE_OF_LOG_EVENT[body.type];
    if (!type) continue;
    const thread = type.startsWith("session.thread_") ? (body as { session_thread_id?: unknown }).session_thread_id : null;
    derived.push({ eventId: newEventId(), type, threadId: typeof thread === "string" ? thread : null });
    // the session stopped because its budget is spent: `session.budget_reached` too, after its idle
    if (body.type === "session.status_idle" && (body as { stop_reason?: { type?: unknown } }).stop_reason?.type === "budget_reached") {
      derived.push({ eventId: newEventId(), type: "session.budget_reached", threadId: null });
    }
  }
  return derived;
}

/**
 * The outbox rows of `events` (one per event and endpoint of the session's team subscribed to
 * its type), as SQL that runs inside the log's append statement: written exactly when the events
 * are, by the same statement, and never for an append that wrote nothing. A batch announcing
 * nothing (a model's text, a tool call) adds no SQL to the append.
 */
export function deliveriesSql(session: Prisma.Sql, events: readonly TDerivedWebhookEvent[], occurredAt: string): Prisma.Sql {
  const rows = JSON.stringify(events.map((e) => ({ eventId: e.eventId, type: e.type, threadId: e.threadId })));
  // ids: the event's time part (so deliveries sort by time) and 64 random bits per endpoint
  return Prisma.sql`
    INSERT INTO "WebhookDelivery" ("id", "endpointId", "eventId", "eventType", "subjectId", "threadId", "occurredAt", "status", "attempts", "nextAttemptAt", "createdAt")
    SELECT 'whdl_' || substr(e."eventId", 6, 10) || upper(substr(md5(random()::text || ep."id" || e."eventId"), 1, 16)),
      ep."id", e."eventId", e."type", s."id", e."threadId", ${occurredAt}::timestamp(3), 'pending', 0, ${occurredAt}::timestamp(3), ${occurredAt}::timestamp(3)
    FROM ${session} AS s
    JOIN "WebhookEndpoint" AS ep ON ep."teamId" = s."teamId"
    CROSS JOIN jsonb_to_recordset(${rows}::jsonb) AS e("eventId" text, "type" text, "threadId" text)
    WHERE e."type" = ANY(ep."eventTypes")
    RETURNING "id"`;
}

/** The log's hook (`PrismaSessionStore`'s `outbox`): webhook deliveries for the status events of each append. */
export const webhookAppendOutbox: TransactionalAppendOutbox = {
  outboxSql(appended, events, now) {
    const derived = webhookEventsOf(events);
    return derived.length === 0 ? null : deliveriesSql(appended, derived, now);
  },
  createdSql(created, now) {
    return deliveriesSql(created, [{ eventId: newId("webhookEvent"), type: "session.created", threadId: null }], now);
  },
};
