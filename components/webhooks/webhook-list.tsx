import { ConfirmActionForm } from "@/components/forms/confirm-action-form";
import type { TFormAction } from "@/components/forms/form-state";
import { EmptyState } from "@/components/ui/card";
import { ResendButton } from "./resend-button";

export type TWebhookDeliveryRow = {
  id: string;
  eventType: string;
  subjectId: string;
  status: "pending" | "delivered" | "failed";
  attempts: number;
  responseStatus: number | null;
  responseBody: string | null;
  error: string | null;
  createdAt: string;
};
export type TWebhookRow = { id: string; url: string; eventTypes: string[]; createdAt: string; deliveries: TWebhookDeliveryRow[] };

const STATUS_STYLE: Record<TWebhookDeliveryRow["status"], string> = {
  delivered: "bg-emerald-50 text-emerald-800 ring-emerald-600/20 dark:bg-emerald-950 dark:text-emerald-300",
  pending: "bg-amber-50 text-amber-800 ring-amber-600/20 dark:bg-amber-950 dark:text-amber-300",
  failed: "bg-red-50 text-red-800 ring-red-600/20 dark:bg-red-950 dark:text-red-300",
};
const TIME = new Intl.DateTimeFormat("en", { dateStyle: "medium", timeStyle: "medium", timeZone: "UTC" });

/** The team's endpoints, each with its latest deliveries: what was sent, what the receiver answered, and a Resend button. */
export function WebhookList({ webhooks, deleteAction, resendAction }: { webhooks: TWebhookRow[]; deleteAction: TFormAction<null>; resendAction: TFormAction<null> }) {
  if (webhooks.length === 0) {
    return <EmptyState title="No endpoints yet">Add an endpoint to be told when sessions start, go idle or end, without polling.</EmptyState>;
  }
  return (
    <ul aria-label="Webhook endpoints" className="-my-2 divide-y divide-zinc-200 dark:divide-zinc-800">
      {webhooks.map((webhook) => (
        <li key={webhook.id} className="flex flex-col gap-3 py-4">
          <div className="flex flex-col gap-2 sm:flex-row sm:items-start sm:justify-between">
            <div className="flex min-w-0 flex-col gap-1">
              <p className="font-mono text-sm font-medium break-all">{webhook.url}</p>
              <p className="text-xs text-zinc-600 dark:text-zinc-400">{webhook.eventTypes.join(", ")}</p>
            </div>
            <ConfirmActionForm
              action={deleteAction}
              fields={{ webhookId: webhook.id }}
              label="Delete"
              accessibleLabel={`Delete endpoint ${webhook.url}`}
              question="Delete this endpoint? Nothing more is sent to it, and its deliveries are gone."
              confirmLabel="Delete"
              pendingLabel="Deleting…"
            />
          </div>
          {webhook.deliveries.length === 0 ? (
            <p className="text-sm text-zinc-500 dark:text-zinc-400">No deliveries yet.</p>
          ) : (
            <div className="overflow-x-auto">
              <table aria-label={`Deliveries to ${webhook.url}`} className="w-full text-left text-sm">
                <thead className="text-xs text-zinc-500 dark:text-zinc-400">
                  <tr>
                    <th className="py-1 pr-3 font-medium">Event</th>
                    <th className="py-1 pr-3 font-medium">Status</th>
                    <th className="py-1 pr-3 font-medium">Response</th>
                    <th className="py-1 pr-3 font-medium">Created (UTC)</th>
                    <th className="py-1 font-medium">
                      <span className="sr-only">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
                  {webhook.deliveries.map((d) => (
                    <tr key={d.id} data-delivery={d.id}>
                      <td className="py-2 pr-3 align-top">
                        <span className="font-mono text-xs">{d.eventType}</span>
                        <span className="block font-mono text-xs text-zinc-500">{d.subjectId}</span>
                      </td>
                      <td className="py-2 pr-3 align-top">
                        <span className={`rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${STATUS_STYLE[d.status]}`}>{d.status}</span>
                        <span className="block text-xs text-zinc-500">
                          {d.attempts} {d.attempts === 1 ? "attempt" : "attempts"}
                        </span>
                      </td>
                      <td className="max-w-xs py-2 pr-3 align-top">
                        {d.responseStatus !== null ? <span className="font-mono text-xs">HTTP {d.responseStatus}</span> : null}
                        {d.error && d.responseStatus === null ? <span className="text-xs text-red-700 dark:text-red-400">{d.error}</span> : null}
                        {d.responseBody ? <pre className="mt-1 max-h-16 overflow-hidden text-xs break-all whitespace-pre-wrap text-zinc-600 dark:text-zinc-400">{d.responseBody.slice(0, 200)}</pre> : null}
                      </td>
                      <td className="py-2 pr-3 align-top text-xs whitespace-nowrap">
                        <time dateTime={d.createdAt}>{TIME.format(new Date(d.createdAt))}</time>
                      </td>
                      <td className="py-2 align-top">
                        <ResendButton action={resendAction} webhookId={webhook.id} deliveryId={d.id} label={`Resend ${d.eventType} of ${d.subjectId}`} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </li>
      ))}
    </ul>
  );
}
