import { apiRoute } from "@/app/v1/api-route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = apiRoute(async (ctx) => ctx.useCases.sessions.create({ teamId: ctx.teamId, body: await ctx.body(), createdBy: ctx.apiKeyId, actor: { kind: "api_key", keyId: ctx.apiKeyId } }));
export const GET = apiRoute((ctx) => ctx.useCases.sessions.list({ teamId: ctx.teamId, query: ctx.url.searchParams }));
