import { apiRoute } from "@/app/v1/api-route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = apiRoute((ctx) => ctx.useCases.agents.listVersions({ teamId: ctx.teamId, agentId: ctx.params.agentId!, query: ctx.url.searchParams }));
