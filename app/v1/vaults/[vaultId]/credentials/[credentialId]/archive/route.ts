import { apiRoute } from "@/lib/api/api-route";
import { archiveCredential } from "@/lib/vault/archive-credential";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = apiRoute((ctx) =>
  archiveCredential(ctx.runtime.db.prisma, { teamId: ctx.teamId, vaultId: ctx.params.vaultId!, credentialId: ctx.params.credentialId! }),
);
