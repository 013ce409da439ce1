import { getAgent } from "@/lib/agents/get-agent";
import { updateAgent } from "@/lib/agents/update-agent";
import { apiRoute } from "@/lib/api/api-route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = apiRoute((ctx) => getAgent(ctx.runtime.db.prisma, { teamId: ctx.teamId, agentId: ctx.params.agentId!, query: ctx.url.searchParams }));
export const POST = apiRoute(async (ctx) => updateAgent(ctx.runtime.db.prisma, { teamId: ctx.teamId, agentId: ctx.params.agentId!, body: await ctx.body() }));
