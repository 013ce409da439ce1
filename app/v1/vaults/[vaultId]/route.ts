import { apiRoute } from "@/app/v1/api-route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = apiRoute((ctx) => ctx.useCases.vaults.get({ teamId: ctx.teamId, vaultId: ctx.params.vaultId! }));
export const POST = apiRoute(async (ctx) => ctx.useCases.vaults.update({ teamId: ctx.teamId, vaultId: ctx.params.vaultId!, body: await ctx.body() }));
export const DELETE = apiRoute((ctx) => ctx.useCases.vaults.delete({ teamId: ctx.teamId, vaultId: ctx.params.vaultId! }));
