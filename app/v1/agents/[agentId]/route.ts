import { apiRoute } from "@/app/v1/api-route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = apiRoute((ctx) => ctx.useCases.agents.get({ teamId: ctx.teamId, agentId: ctx.params.agentId!, query: ctx.url.searchParams }));
export const POST = apiRoute(async (ctx) => ctx.useCases.agents.update({ teamId: ctx.teamId, agentId: ctx.params.agentId!, body: await ctx.body() }));
