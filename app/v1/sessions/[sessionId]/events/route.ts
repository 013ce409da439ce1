import { apiRoute } from "@/app/v1/api-route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

// A self-hosted work item's token may read its own session's events and send its tool results.
export const POST = apiRoute(
  async (ctx) =>
    ctx.work
      ? ctx.useCases.environmentWork.sendResults({ work: ctx.work, body: await ctx.body() })
      : ctx.useCases.sessions.send({ teamId: ctx.teamId, sessionId: ctx.params.sessionId!, body: await ctx.body(), actor: { kind: "api_key", keyId: ctx.apiKeyId } }),
  { workToken: "session" },
);
export const GET = apiRoute(
  (ctx) => ctx.useCases.sessions.listEvents({ teamId: ctx.teamId, sessionId: ctx.params.sessionId!, query: ctx.url.searchParams }),
  { workToken: "session" },
);
