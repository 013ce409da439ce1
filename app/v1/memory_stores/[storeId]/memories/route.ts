import { apiRoute } from "@/app/v1/api-route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** Writes through the API are attributed to the API key that made them (`created_by: api_actor`). */
export const POST = apiRoute(async (ctx) =>
  ctx.useCases.memories.create({
    teamId: ctx.teamId,
    storeId: ctx.params.storeId!,
    body: await ctx.body(),
    query: ctx.url.searchParams,
    actor: { type: "api_actor", id: ctx.apiKeyId },
  }),
);
export const GET = apiRoute((ctx) => ctx.useCases.memories.list({ teamId: ctx.teamId, storeId: ctx.params.storeId!, query: ctx.url.searchParams }));
