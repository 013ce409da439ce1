import "server-only";
import type { TWebhookEventType } from "./event-types";

/** What the outbox keeps of an event: enough to build its envelope again for every attempt. */
export type TWebhookEventRecord = {
  eventId: string;
  eventType: TWebhookEventType | string;
  /** The session (the object the event is about). */
  subjectId: string;
  /** For `session.thread_*`: the thread. */
  threadId: string | null;
  occurredAt: Date;
  teamId: string;
};

/**
 * The webhook envelope (the SDK's `BetaWebhookEvent`): `{ id, type: "event", created_at, data }`,
 * `data` naming the event type and the object. A team is both the organization and the workspace
 * of the wire: this platform has no level above a team.
 */
export function webhookEnvelope(event: TWebhookEventRecord) {
  return {
    id: event.eventId,
    type: "event" as const,
    created_at: event.occurredAt.toISOString(),
    data: {
      type: event.eventType,
      id: event.subjectId,
      organization_id: event.teamId,
      workspace_id: event.teamId,
      ...(event.threadId ? { session_thread_id: event.threadId } : {}),
    },
  };
}

export type TWebhookEnvelope = ReturnType<typeof webhookEnvelope>;
