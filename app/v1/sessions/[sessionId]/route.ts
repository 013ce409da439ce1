import { apiRoute } from "@/app/v1/api-route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

// A self-hosted work item's token may read its own session (the SDK's worker does).
export const GET = apiRoute((ctx) => ctx.useCases.sessions.get({ teamId: ctx.teamId, sessionId: ctx.params.sessionId! }), { workToken: "session" });
export const POST = apiRoute(async (ctx) =>
  ctx.useCases.sessions.update({ teamId: ctx.teamId, sessionId: ctx.params.sessionId!, body: await ctx.body() }),
);
export const DELETE = apiRoute((ctx) => ctx.useCases.sessions.delete({ teamId: ctx.teamId, sessionId: ctx.params.sessionId! }));
