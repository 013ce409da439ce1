import "server-only";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { applyMetadataPatch, metadataFromJson, parseBody } from "@/lib/resource/metadata";
import { assertVaultNotArchived } from "./find-team-vault";
import { ZVaultUpdateSchema } from "./schemas";
import { vaultToWire } from "./vault-to-wire";
import { withLockedVault } from "./with-locked-vault";

/**
 * `POST /v1/vaults/{id}`: a new display name and/or a metadata patch (a string upserts, null
 * deletes, omitted keys are kept). An archived vault cannot be updated.
 */
export async function updateVault(prisma: PrismaClient, options: { teamId: string; vaultId: string; body: unknown }) {
  const input = parseBody(ZVaultUpdateSchema, options.body);
  return withLockedVault(prisma, options, async (tx, vault) => {
    assertVaultNotArchived(vault);
    const displayName = input.display_name ?? vault.displayName;
    const current = metadataFromJson(vault.metadata);
    const metadata = applyMetadataPatch(current, input.metadata ?? {});
    if (displayName === vault.displayName && JSON.stringify(metadata) === JSON.stringify(current)) return vaultToWire(vault);
    return vaultToWire(await tx.vault.update({ where: { id: vault.id }, data: { displayName, metadata } }));
  });
}
