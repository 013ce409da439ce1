import "server-only";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { vaultToWire } from "./vault-to-wire";
import { withLockedVault } from "./with-locked-vault";

/**
 * `POST /v1/vaults/{id}/archive`: the vault is hidden from lists (unless `include_archived`), takes
 * no new credentials and no changes, cannot be given to new sessions, and its credentials are no
 * longer handed out (`loadCredentialSecrets`). Its credentials stay readable, and can still be
 * archived or deleted. Archiving twice changes nothing.
 */
export async function archiveVault(prisma: PrismaClient, options: { teamId: string; vaultId: string }) {
  return withLockedVault(prisma, options, async (tx, vault) => {
    if (vault.archivedAt) return vaultToWire(vault);
    return vaultToWire(await tx.vault.update({ where: { id: vault.id }, data: { archivedAt: new Date() } }));
  });
}
