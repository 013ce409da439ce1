import { apiRoute } from "@/app/v1/api-route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const ids = (params: Record<string, string>) => ({ vaultId: params.vaultId!, credentialId: params.credentialId! });

export const GET = apiRoute((ctx) => ctx.useCases.credentials.get({ teamId: ctx.teamId, ...ids(ctx.params) }));
export const POST = apiRoute(async (ctx) =>
  ctx.useCases.credentials.update({ teamId: ctx.teamId, ...ids(ctx.params), body: await ctx.body() }),
);
export const DELETE = apiRoute((ctx) => ctx.useCases.credentials.delete({ teamId: ctx.teamId, ...ids(ctx.params) }));
