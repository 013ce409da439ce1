import { apiRoute } from "@/app/v1/api-route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = apiRoute(async (ctx) => ctx.useCases.dreams.create({ teamId: ctx.teamId, body: await ctx.body() }));
export const GET = apiRoute((ctx) => ctx.useCases.dreams.list({ teamId: ctx.teamId, query: ctx.url.searchParams }));
