import { apiRoute } from "@/lib/api/api-route";
import { createSession } from "@/lib/sessions/create-session";
import { sessionDeps } from "@/lib/sessions/deps";
import { listSessions } from "@/lib/sessions/list-sessions";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = apiRoute(async (ctx) => createSession(sessionDeps(ctx.runtime), { teamId: ctx.teamId, body: await ctx.body() }));
export const GET = apiRoute((ctx) => listSessions(sessionDeps(ctx.runtime), { teamId: ctx.teamId, query: ctx.url.searchParams }));
