import { apiRoute } from "@/app/v1/api-route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = apiRoute((ctx) =>
  ctx.useCases.credentials.validateMcpOAuth({ teamId: ctx.teamId, vaultId: ctx.params.vaultId!, credentialId: ctx.params.credentialId! }),
);
