import { apiRoute } from "@/app/v1/api-route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = apiRoute((ctx) =>
  ctx.useCases.memories.get({ teamId: ctx.teamId, storeId: ctx.params.storeId!, memoryId: ctx.params.memoryId!, query: ctx.url.searchParams }),
);
export const POST = apiRoute(async (ctx) =>
  ctx.useCases.memories.update({
    teamId: ctx.teamId,
    storeId: ctx.params.storeId!,
    memoryId: ctx.params.memoryId!,
    body: await ctx.body(),
    query: ctx.url.searchParams,
    actor: { type: "api_actor", id: ctx.apiKeyId },
  }),
);
export const DELETE = apiRoute((ctx) =>
  ctx.useCases.memories.delete({
    teamId: ctx.teamId,
    storeId: ctx.params.storeId!,
    memoryId: ctx.params.memoryId!,
    query: ctx.url.searchParams,
    actor: { type: "api_actor", id: ctx.apiKeyId },
  }),
);
