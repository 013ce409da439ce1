import { apiRoute } from "@/app/v1/api-route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = apiRoute((ctx) => ctx.useCases.sessionResources.get({ teamId: ctx.teamId, sessionId: ctx.params.sessionId!, resourceId: ctx.params.resourceId! }));
export const POST = apiRoute(async (ctx) =>
  ctx.useCases.sessionResources.update({ teamId: ctx.teamId, sessionId: ctx.params.sessionId!, resourceId: ctx.params.resourceId!, body: await ctx.body() }),
);
export const DELETE = apiRoute((ctx) => ctx.useCases.sessionResources.delete({ teamId: ctx.teamId, sessionId: ctx.params.sessionId!, resourceId: ctx.params.resourceId! }));
