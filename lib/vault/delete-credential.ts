import "server-only";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { credentialInVault } from "./find-team-credential";
import { withLockedVault } from "./with-locked-vault";

/** `DELETE /v1/vaults/{id}/credentials/{id}`: removes the credential and its secrets. */
export async function deleteCredential(prisma: PrismaClient, options: { teamId: string; vaultId: string; credentialId: string }) {
  return withLockedVault(prisma, options, async (tx, vault) => {
    const credential = await credentialInVault(tx, vault, options.credentialId);
    await tx.credential.delete({ where: { id: credential.id } });
    return { id: credential.id, type: "vault_credential_deleted" as const };
  });
}
