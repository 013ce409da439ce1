import { apiRoute } from "@/lib/api/api-route";
import { createCredential } from "@/lib/vault/create-credential";
import { getVaultCipher } from "@/lib/vault/get-vault-cipher";
import { listCredentials } from "@/lib/vault/list-credentials";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = apiRoute(async (ctx) =>
  createCredential(ctx.runtime.db.prisma, getVaultCipher(), { teamId: ctx.teamId, vaultId: ctx.params.vaultId!, body: await ctx.body() }),
);
export const GET = apiRoute((ctx) => listCredentials(ctx.runtime.db.prisma, { teamId: ctx.teamId, vaultId: ctx.params.vaultId!, query: ctx.url.searchParams }));
