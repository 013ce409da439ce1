import { apiRoute } from "@/app/v1/api-route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = apiRoute(
  (ctx) => ctx.useCases.sessions.streamEvents({ teamId: ctx.teamId, sessionId: ctx.params.sessionId!, query: ctx.url.searchParams, signal: ctx.request.signal, stillAuthorized: ctx.stillAuthorized }),
  { workToken: "session" },
);
