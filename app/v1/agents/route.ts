import { createAgent } from "@/lib/agents/create-agent";
import { listAgents } from "@/lib/agents/list-agents";
import { apiRoute } from "@/lib/api/api-route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = apiRoute(async (ctx) => createAgent(ctx.runtime.db.prisma, { teamId: ctx.teamId, body: await ctx.body() }));
export const GET = apiRoute((ctx) => listAgents(ctx.runtime.db.prisma, { teamId: ctx.teamId, query: ctx.url.searchParams }));
