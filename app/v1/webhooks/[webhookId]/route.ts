import { apiRoute } from "@/app/v1/api-route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = apiRoute((ctx) => ctx.useCases.webhooks.get({ teamId: ctx.teamId, webhookId: ctx.params.webhookId! }));
export const DELETE = apiRoute((ctx) => ctx.useCases.webhooks.delete({ teamId: ctx.teamId, webhookId: ctx.params.webhookId! }));
