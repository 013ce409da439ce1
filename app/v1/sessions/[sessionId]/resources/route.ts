import { apiRoute } from "@/app/v1/api-route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = apiRoute((ctx) => ctx.useCases.sessionResources.list({ teamId: ctx.teamId, sessionId: ctx.params.sessionId!, query: ctx.url.searchParams }));
export const POST = apiRoute(async (ctx) => ctx.useCases.sessionResources.add({ teamId: ctx.teamId, sessionId: ctx.params.sessionId!, body: await ctx.body() }));
