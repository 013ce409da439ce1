import { archiveAgent } from "@/lib/agents/archive-agent";
import { apiRoute } from "@/lib/api/api-route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = apiRoute((ctx) => archiveAgent(ctx.runtime.db.prisma, { teamId: ctx.teamId, agentId: ctx.params.agentId! }));
