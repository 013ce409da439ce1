import { apiRoute } from "@/app/v1/api-route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = apiRoute((ctx) => ctx.useCases.webhooks.listDeliveries({ teamId: ctx.teamId, webhookId: ctx.params.webhookId!, query: ctx.url.searchParams }));
