import { apiRoute } from "@/lib/api/api-route";
import { archiveVault } from "@/lib/vault/archive-vault";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = apiRoute((ctx) => archiveVault(ctx.runtime.db.prisma, { teamId: ctx.teamId, vaultId: ctx.params.vaultId! }));
