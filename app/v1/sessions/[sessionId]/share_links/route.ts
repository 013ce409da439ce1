import { apiRoute } from "@/app/v1/api-route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** Creates a replay link; the response holds its token and path, shown this once. */
export const POST = apiRoute((ctx) =>
  ctx.useCases.shareLinks.create({ teamId: ctx.teamId, sessionId: ctx.params.sessionId!, createdBy: ctx.apiKeyId }),
);

export const GET = apiRoute(async (ctx) => ({
  data: await ctx.useCases.shareLinks.list({ teamId: ctx.teamId, sessionId: ctx.params.sessionId! }),
}));
