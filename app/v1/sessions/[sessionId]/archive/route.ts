import { apiRoute } from "@/lib/api/api-route";
import { archiveSession } from "@/lib/sessions/archive-session";
import { sessionDeps } from "@/lib/sessions/deps";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = apiRoute((ctx) => archiveSession(sessionDeps(ctx.runtime), { teamId: ctx.teamId, sessionId: ctx.params.sessionId! }));
