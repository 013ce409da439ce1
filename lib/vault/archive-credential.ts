import "server-only";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { credentialToWire } from "./credential-to-wire";
import { credentialInVault } from "./find-team-credential";
import { withLockedVault } from "./with-locked-vault";

/**
 * `POST /v1/vaults/{id}/credentials/{id}/archive`: the credential is hidden from lists (unless
 * `include_archived`), no longer handed out to sessions and cannot be updated; its MCP server URL or
 * secret name is free for a new credential. Archiving twice changes nothing.
 */
export async function archiveCredential(prisma: PrismaClient, options: { teamId: string; vaultId: string; credentialId: string }) {
  return withLockedVault(prisma, options, async (tx, vault) => {
    const credential = await credentialInVault(tx, vault, options.credentialId);
    if (credential.archivedAt) return credentialToWire(credential);
    return credentialToWire(await tx.credential.update({ where: { id: credential.id }, data: { archivedAt: new Date() } }));
  });
}
