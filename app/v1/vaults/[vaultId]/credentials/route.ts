import { apiRoute } from "@/app/v1/api-route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = apiRoute(async (ctx) =>
  ctx.useCases.credentials.create({ teamId: ctx.teamId, vaultId: ctx.params.vaultId!, body: await ctx.body() }),
);
export const GET = apiRoute((ctx) => ctx.useCases.credentials.list({ teamId: ctx.teamId, vaultId: ctx.params.vaultId!, query: ctx.url.searchParams }));
