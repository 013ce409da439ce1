import { apiRoute } from "@/app/v1/api-route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = apiRoute((ctx) =>
  ctx.useCases.memoryVersions.get({ teamId: ctx.teamId, storeId: ctx.params.storeId!, versionId: ctx.params.versionId!, query: ctx.url.searchParams }),
);
