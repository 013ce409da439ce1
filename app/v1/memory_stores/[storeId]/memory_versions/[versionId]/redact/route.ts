import { apiRoute } from "@/app/v1/api-route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = apiRoute((ctx) =>
  ctx.useCases.memoryVersions.redact({ teamId: ctx.teamId, storeId: ctx.params.storeId!, versionId: ctx.params.versionId!, actor: { type: "api_actor", id: ctx.apiKeyId } }),
);
