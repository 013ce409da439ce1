import { apiRoute } from "@/app/v1/api-route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/**
 * Writes through the API are attributed to the API key that made them (`created_by: api_actor`);
 * a self-hosted worker's item token (the SDK's memory sync) lists and writes the stores its session
 * mounts, as that session (`session_actor`).
 */
export const POST = apiRoute(
  async (ctx) =>
    ctx.useCases.memories.create({
      teamId: ctx.teamId,
      storeId: ctx.params.storeId!,
      body: await ctx.body(),
      query: ctx.url.searchParams,
      actor: ctx.work
        ? await ctx.useCases.memories.authorizeSession({ teamId: ctx.teamId, sessionId: ctx.work.sessionId, storeId: ctx.params.storeId!, write: true })
        : { type: "api_actor", id: ctx.apiKeyId },
    }),
  { workToken: "memory" },
);
export const GET = apiRoute(
  async (ctx) => {
    if (ctx.work) await ctx.useCases.memories.authorizeSession({ teamId: ctx.teamId, sessionId: ctx.work.sessionId, storeId: ctx.params.storeId!, write: false });
    return ctx.useCases.memories.list({ teamId: ctx.teamId, storeId: ctx.params.storeId!, query: ctx.url.searchParams });
  },
  { workToken: "memory" },
);
