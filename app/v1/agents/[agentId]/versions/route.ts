import { listAgentVersions } from "@/lib/agents/list-agent-versions";
import { apiRoute } from "@/lib/api/api-route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = apiRoute((ctx) => listAgentVersions(ctx.runtime.db.prisma, { teamId: ctx.teamId, agentId: ctx.params.agentId!, query: ctx.url.searchParams }));
