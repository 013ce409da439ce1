import { apiRoute } from "@/app/v1/api-route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = apiRoute((ctx) => ctx.useCases.sessions.archiveThread({ teamId: ctx.teamId, sessionId: ctx.params.sessionId!, threadId: ctx.params.threadId! }));
