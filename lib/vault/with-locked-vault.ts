import "server-only";
import type { Prisma, PrismaClient, Vault } from "@/lib/generated/prisma/client";
import { isId } from "@/lib/ids";
import { vaultNotFound } from "./find-team-vault";

/**
 * Runs `fn` in a transaction holding the team's vault row locked (`SELECT … FOR UPDATE`), so writes
 * to one vault and its credentials happen one at a time: metadata patches are not lost, uniqueness
 * checks hold, and nothing lands in a vault being archived or deleted. 404 like `findTeamVault`.
 */
export async function withLockedVault<T>(
  prisma: PrismaClient,
  options: { teamId: string; vaultId: string },
  fn: (tx: Prisma.TransactionClient, vault: Vault) => Promise<T>,
): Promise<T> {
  if (!isId("vault", options.vaultId)) throw vaultNotFound(options.vaultId);
  return prisma.$transaction(async (tx) => {
    const locked = await tx.$queryRaw<{ id: string }[]>`SELECT "id" FROM "Vault" WHERE "id" = ${options.vaultId} AND "teamId" = ${options.teamId} FOR UPDATE`;
    if (locked.length === 0) throw vaultNotFound(options.vaultId);
    return fn(tx, await tx.vault.findUniqueOrThrow({ where: { id: options.vaultId } }));
  });
}

