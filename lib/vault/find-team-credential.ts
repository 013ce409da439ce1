import "server-only";
import type { Credential, Prisma, PrismaClient, Vault } from "@/lib/generated/prisma/client";
import { AppError } from "@/lib/errors";
import { isId } from "@/lib/ids";
import { findTeamVault } from "./find-team-vault";

/**
 * A credential of one of the team's vaults, or 404 — the same answer for an unknown id, a
 * malformed one, another vault's and another team's.
 */
export async function findTeamCredential(
  prisma: PrismaClient,
  options: { teamId: string; vaultId: string; credentialId: string },
): Promise<{ vault: Vault; credential: Credential }> {
  const vault = await findTeamVault(prisma, options.teamId, options.vaultId);
  return { vault, credential: await credentialInVault(prisma, vault, options.credentialId) };
}

/** The credential of an already found (or locked) vault, or 404. */
export async function credentialInVault(db: PrismaClient | Prisma.TransactionClient, vault: Vault, credentialId: string): Promise<Credential> {
  const credential = isId("credential", credentialId) ? await db.credential.findFirst({ where: { id: credentialId, vaultId: vault.id } }) : null;
  if (!credential) throw new AppError("not_found", `credential ${credentialId.slice(0, 128)} not found`);
  return credential;
}
