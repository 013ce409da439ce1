import type { Metadata } from "next";
import { requireMembership } from "@/lib/auth/require-membership";
import { useCases } from "@/lib/server/root";
import { Card } from "@/components/ui/card";
import { WebhookCreateForm } from "@/components/webhooks/webhook-create-form";
import { WebhookList, type TWebhookRow } from "@/components/webhooks/webhook-list";
import { createWebhookAction, deleteWebhookAction, resendDeliveryAction } from "./actions";

export const metadata: Metadata = { title: "Webhooks" };
export const dynamic = "force-dynamic";

type TProps = { params: Promise<{ team: string }> };

/** How many of an endpoint's latest deliveries the page shows (the API pages through all of them). */
const SHOWN_DELIVERIES = "10";

export default async function WebhooksPage({ params }: TProps) {
  const { team } = await requireMembership(useCases(), (await params).team);
  const { data: endpoints } = await useCases().webhooks.list({ teamId: team.id });
  const webhooks: TWebhookRow[] = await Promise.all(
    endpoints.map(async (endpoint) => {
      const { data } = await useCases().webhooks.listDeliveries({ teamId: team.id, webhookId: endpoint.id, query: new URLSearchParams({ limit: SHOWN_DELIVERIES }) });
      return {
        id: endpoint.id,
        url: endpoint.url,
        eventTypes: endpoint.event_types,
        createdAt: endpoint.created_at,
        deliveries: data.map((d) => ({
          id: d.id,
          eventType: d.event_type,
          subjectId: d.payload.data.id,
          status: d.status,
          attempts: d.attempts,
          responseStatus: d.response_status,
          responseBody: d.response_body,
          error: d.error,
          createdAt: d.created_at,
        })),
      };
    }),
  );
  return (
    <>
      <Card title="Add a webhook endpoint" titleId="create-webhook-heading" description={`${team.name}'s sessions announce themselves to these URLs: signed JSON, retried with backoff until the receiver answers 2xx.`}>
        <WebhookCreateForm action={createWebhookAction.bind(null, team.slug)} />
      </Card>
      <Card title="Webhook endpoints" titleId="webhooks-heading" description={webhooks.length ? `${webhooks.length} ${webhooks.length === 1 ? "endpoint" : "endpoints"}, each with its latest deliveries.` : undefined}>
        <WebhookList webhooks={webhooks} deleteAction={deleteWebhookAction.bind(null, team.slug)} resendAction={resendDeliveryAction.bind(null, team.slug)} />
      </Card>
    </>
  );
}
