import "server-only";
import type { PrismaClient, Vault } from "@/lib/generated/prisma/client";
import { AppError } from "@/lib/errors";
import { isId } from "@/lib/ids";

/**
 * The team's vault, or 404 — the same answer for an unknown id, a malformed one and another
 * team's (ids are opaque to clients).
 */
export async function findTeamVault(prisma: PrismaClient, teamId: string, vaultId: string): Promise<Vault> {
  const vault = isId("vault", vaultId) ? await prisma.vault.findFirst({ where: { id: vaultId, teamId } }) : null;
  if (!vault) throw vaultNotFound(vaultId);
  return vault;
}

export function vaultNotFound(vaultId: string): AppError {
  return new AppError("not_found", `vault ${vaultId.slice(0, 128)} not found`);
}

/** 400 for an archived vault: it takes no new credentials and no changes. */
export function assertVaultNotArchived(vault: Vault): void {
  if (vault.archivedAt) throw new AppError("invalid_request", `vault ${vault.id} is archived`, { errorCode: "vault_archived" });
}
