import { apiRoute } from "@/app/v1/api-route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = apiRoute((ctx) => ctx.useCases.memoryVersions.list({ teamId: ctx.teamId, storeId: ctx.params.storeId!, query: ctx.url.searchParams }));
