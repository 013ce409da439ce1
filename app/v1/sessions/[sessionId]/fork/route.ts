import { apiRoute } from "@/app/v1/api-route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/**
 * Our own extension, not part of Anthropic's Managed Agents API: a new session whose log is this
 * one's up to and including `event_id` (lib/sessions/fork-session.ts). Answers like session create.
 */
export const POST = apiRoute(async (ctx) => ctx.useCases.sessions.fork({ teamId: ctx.teamId, sessionId: ctx.params.sessionId!, body: await ctx.body(), createdBy: ctx.apiKeyId }));
