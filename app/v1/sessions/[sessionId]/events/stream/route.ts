import { apiRoute } from "@/app/v1/api-route";
import { visibleToWorker } from "@/lib/environments/work/visible-to-worker";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = apiRoute(
  (ctx) =>
    ctx.useCases.sessions.streamEvents({
      teamId: ctx.teamId,
      sessionId: ctx.params.sessionId!,
      query: ctx.url.searchParams,
      signal: ctx.request.signal,
      stillAuthorized: ctx.stillAuthorized,
      // a work item's token does not see the calls routed to the session's other environments
      ...(ctx.work ? { only: visibleToWorker(ctx.work.environmentId) } : {}),
    }),
  { workToken: "session" },
);
