import "server-only";
import type { Credential, Prisma, PrismaClient } from "@/lib/generated/prisma/client";

/**
 * Runs `fn` in a transaction holding one credential row locked (`SELECT … FOR UPDATE`), with the
 * row as it is once the lock is held (null when it no longer exists). Every process that locks the
 * same credential waits its turn, on PostgreSQL and on PGlite alike. `lockWaitMs` bounds the wait
 * for the lock (`lock_timeout`), `timeoutMs` the whole transaction, so a stuck holder makes the
 * next one fail rather than hang.
 */
export async function withLockedCredential<T>(
  prisma: PrismaClient,
  options: { credentialId: string; lockWaitMs: number; timeoutMs: number },
  fn: (tx: Prisma.TransactionClient, row: Credential | null) => Promise<T>,
): Promise<T> {
  return prisma.$transaction(
    async (tx) => {
      await tx.$executeRawUnsafe(`SET LOCAL lock_timeout = ${Math.max(1, Math.round(options.lockWaitMs))}`);
      const locked = await tx.$queryRaw<{ id: string }[]>`SELECT "id" FROM "Credential" WHERE "id" = ${options.credentialId} FOR UPDATE`;
      return fn(tx, locked.length === 0 ? null : await tx.credential.findUnique({ where: { id: options.credentialId } }));
    },
    // PGlite has one connection: a second transaction waits for the first to end before it starts.
    { maxWait: options.lockWaitMs, timeout: options.timeoutMs },
  );
}
