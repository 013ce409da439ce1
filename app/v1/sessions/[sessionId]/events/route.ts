import { apiRoute } from "@/app/v1/api-route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = apiRoute(async (ctx) =>
  ctx.useCases.sessions.send({ teamId: ctx.teamId, sessionId: ctx.params.sessionId!, body: await ctx.body() }),
);
export const GET = apiRoute((ctx) =>
  ctx.useCases.sessions.listEvents({ teamId: ctx.teamId, sessionId: ctx.params.sessionId!, query: ctx.url.searchParams }),
);
