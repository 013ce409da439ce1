import { apiRoute } from "@/app/v1/api-route";
import { visibleToWorker } from "@/lib/environments/work/visible-to-worker";

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
// a work item's token does not see the calls routed to the session's other environments
export const GET = apiRoute(
  (ctx) =>
    ctx.useCases.sessions.listEvents({ teamId: ctx.teamId, sessionId: ctx.params.sessionId!, query: ctx.url.searchParams, ...(ctx.work ? { only: visibleToWorker(ctx.work.environmentId) } : {}) }),
  { workToken: "session" },
);
