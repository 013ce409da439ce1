import { apiRoute } from "@/app/v1/api-route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = apiRoute((ctx) => ctx.useCases.deploymentRuns.list({ teamId: ctx.teamId, query: ctx.url.searchParams }));
