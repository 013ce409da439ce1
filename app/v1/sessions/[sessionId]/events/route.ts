import { apiRoute } from "@/lib/api/api-route";
import { sessionDeps } from "@/lib/sessions/deps";
import { listEvents } from "@/lib/sessions/list-events";
import { sendEvents } from "@/lib/sessions/send-events";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = apiRoute(async (ctx) =>
  sendEvents(sessionDeps(ctx.runtime), { teamId: ctx.teamId, sessionId: ctx.params.sessionId!, body: await ctx.body() }),
);
export const GET = apiRoute((ctx) =>
  listEvents(sessionDeps(ctx.runtime), { teamId: ctx.teamId, sessionId: ctx.params.sessionId!, query: ctx.url.searchParams }),
);
