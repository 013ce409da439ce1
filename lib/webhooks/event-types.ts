/**
 * The webhook event types this platform sends (the SDK's `BetaWebhookEventData` names, reference
 * §2.12), and which event of the session log each status type is derived from. Of the SDK's other
 * types, those of objects this platform has are sent too (agents, environments, memory stores,
 * deployments and their runs); `data` is `{ type, id, organization_id, workspace_id }` for each, as
 * the SDK's `BetaWebhook*EventData`. The names differ
 * from the log's on purpose: the log says `session.status_idle`, the webhook `session.status_idled`.
 */
export const WEBHOOK_EVENT_TYPES = [
  "session.created",
  "session.archived",
  "session.deleted",
  "session.updated",
  "session.status_run_started",
  "session.status_idled",
  "session.status_rescheduled",
  "session.status_terminated",
  "session.thread_created",
  "session.thread_idled",
  "session.thread_terminated",
  "session.budget_reached",
  // the team's other objects, queued with the write that changes them (record-webhook-event.ts)
  "agent.created",
  "agent.updated",
  "agent.archived",
  "environment.created",
  "environment.updated",
  "environment.archived",
  "environment.deleted",
  "memory_store.created",
  "memory_store.archived",
  "memory_store.deleted",
  "deployment.created",
  "deployment.updated",
  "deployment.paused",
  "deployment.unpaused",
  "deployment.archived",
  "deployment_run.started",
  "deployment_run.succeeded",
  "deployment_run.failed",
] as const;

export type TWebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** The log's event type → the webhook event type it is announced as. */
export const WEBHOOK_TYPE_OF_LOG_EVENT: Readonly<Record<string, TWebhookEventType>> = {
  "session.status_running": "session.status_run_started",
  "session.status_idle": "session.status_idled",
  "session.status_rescheduled": "session.status_rescheduled",
  "session.status_terminated": "session.status_terminated",
  "session.updated": "session.updated",
  "session.thread_created": "session.thread_created",
  "session.thread_status_idle": "session.thread_idled",
  "session.thread_status_terminated": "session.thread_terminated",
};

export function isWebhookEventType(value: string): value is TWebhookEventType {
  return (WEBHOOK_EVENT_TYPES as readonly string[]).includes(value);
}
