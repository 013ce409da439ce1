import { apiRoute } from "@/app/v1/api-route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = apiRoute((ctx) => ctx.useCases.webhooks.resend({ teamId: ctx.teamId, webhookId: ctx.params.webhookId!, deliveryId: ctx.params.deliveryId! }));
