import { apiRoute } from "@/lib/api/api-route";
import { deleteVault } from "@/lib/vault/delete-vault";
import { getVault } from "@/lib/vault/get-vault";
import { updateVault } from "@/lib/vault/update-vault";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = apiRoute((ctx) => getVault(ctx.runtime.db.prisma, { teamId: ctx.teamId, vaultId: ctx.params.vaultId! }));
export const POST = apiRoute(async (ctx) => updateVault(ctx.runtime.db.prisma, { teamId: ctx.teamId, vaultId: ctx.params.vaultId!, body: await ctx.body() }));
export const DELETE = apiRoute((ctx) => deleteVault(ctx.runtime.db.prisma, { teamId: ctx.teamId, vaultId: ctx.params.vaultId! }));
