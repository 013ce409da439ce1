import { apiRoute } from "@/app/v1/api-route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = apiRoute((ctx) => ctx.useCases.sessions.getThread({ teamId: ctx.teamId, sessionId: ctx.params.sessionId!, threadId: ctx.params.threadId! }));
