import { apiRoute } from "@/app/v1/api-route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = apiRoute((ctx) =>
  ctx.useCases.sessions.listThreadEvents({ teamId: ctx.teamId, sessionId: ctx.params.sessionId!, threadId: ctx.params.threadId!, query: ctx.url.searchParams }),
);
