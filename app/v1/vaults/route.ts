import { apiRoute } from "@/lib/api/api-route";
import { createVault } from "@/lib/vault/create-vault";
import { listVaults } from "@/lib/vault/list-vaults";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = apiRoute(async (ctx) => createVault(ctx.runtime.db.prisma, { teamId: ctx.teamId, body: await ctx.body() }));
export const GET = apiRoute((ctx) => listVaults(ctx.runtime.db.prisma, { teamId: ctx.teamId, query: ctx.url.searchParams }));
