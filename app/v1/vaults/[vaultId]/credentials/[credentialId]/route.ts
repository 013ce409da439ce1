import { apiRoute } from "@/lib/api/api-route";
import { deleteCredential } from "@/lib/vault/delete-credential";
import { getCredential } from "@/lib/vault/get-credential";
import { getVaultCipher } from "@/lib/vault/get-vault-cipher";
import { updateCredential } from "@/lib/vault/update-credential";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const ids = (params: Record<string, string>) => ({ vaultId: params.vaultId!, credentialId: params.credentialId! });

export const GET = apiRoute((ctx) => getCredential(ctx.runtime.db.prisma, { teamId: ctx.teamId, ...ids(ctx.params) }));
export const POST = apiRoute(async (ctx) =>
  updateCredential(ctx.runtime.db.prisma, getVaultCipher(), { teamId: ctx.teamId, ...ids(ctx.params), body: await ctx.body() }),
);
export const DELETE = apiRoute((ctx) => deleteCredential(ctx.runtime.db.prisma, { teamId: ctx.teamId, ...ids(ctx.params) }));
