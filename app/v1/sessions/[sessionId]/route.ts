import { apiRoute } from "@/lib/api/api-route";
import { deleteSession } from "@/lib/sessions/delete-session";
import { sessionDeps } from "@/lib/sessions/deps";
import { getSession } from "@/lib/sessions/get-session";
import { updateSession } from "@/lib/sessions/update-session";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = apiRoute((ctx) => getSession(sessionDeps(ctx.runtime), { teamId: ctx.teamId, sessionId: ctx.params.sessionId! }));
export const POST = apiRoute(async (ctx) =>
  updateSession(sessionDeps(ctx.runtime), { teamId: ctx.teamId, sessionId: ctx.params.sessionId!, body: await ctx.body() }),
);
export const DELETE = apiRoute((ctx) => deleteSession(sessionDeps(ctx.runtime), { teamId: ctx.teamId, sessionId: ctx.params.sessionId! }));
