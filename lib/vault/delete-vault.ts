import "server-only";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { withLockedVault } from "./with-locked-vault";

/** `DELETE /v1/vaults/{id}`: removes the vault and every credential in it, secrets included. */
export async function deleteVault(prisma: PrismaClient, options: { teamId: string; vaultId: string }) {
  return withLockedVault(prisma, options, async (tx, vault) => {
    await tx.credential.deleteMany({ where: { vaultId: vault.id } });
    await tx.vault.delete({ where: { id: vault.id } });
    return { id: vault.id, type: "vault_deleted" as const };
  });
}
