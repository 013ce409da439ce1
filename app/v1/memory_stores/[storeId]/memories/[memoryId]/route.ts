import { apiRoute } from "@/app/v1/api-route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** Who writes: the API key, or (a self-hosted worker's item token) the session that mounts the store, if it may. */
async function actorOf(ctx: Parameters<Parameters<typeof apiRoute>[0]>[0], write: boolean) {
  if (!ctx.work) return { type: "api_actor" as const, id: ctx.apiKeyId };
  return ctx.useCases.memories.authorizeSession({ teamId: ctx.teamId, sessionId: ctx.work.sessionId, storeId: ctx.params.storeId!, write });
}

export const GET = apiRoute(
  async (ctx) => {
    await actorOf(ctx, false);
    return ctx.useCases.memories.get({ teamId: ctx.teamId, storeId: ctx.params.storeId!, memoryId: ctx.params.memoryId!, query: ctx.url.searchParams });
  },
  { workToken: "memory" },
);
export const POST = apiRoute(
  async (ctx) =>
    ctx.useCases.memories.update({
      teamId: ctx.teamId,
      storeId: ctx.params.storeId!,
      memoryId: ctx.params.memoryId!,
      body: await ctx.body(),
      query: ctx.url.searchParams,
      actor: await actorOf(ctx, true),
    }),
  { workToken: "memory" },
);
export const DELETE = apiRoute(
  async (ctx) =>
    ctx.useCases.memories.delete({
      teamId: ctx.teamId,
      storeId: ctx.params.storeId!,
      memoryId: ctx.params.memoryId!,
      query: ctx.url.searchParams,
      actor: await actorOf(ctx, true),
    }),
  { workToken: "memory" },
);
