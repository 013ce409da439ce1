import { apiRoute } from "@/lib/api/api-route";
import { sessionDeps } from "@/lib/sessions/deps";
import { streamEvents } from "@/lib/sessions/stream-events";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = apiRoute((ctx) =>
  streamEvents(sessionDeps(ctx.runtime), { teamId: ctx.teamId, sessionId: ctx.params.sessionId!, query: ctx.url.searchParams, signal: ctx.request.signal }),
);
