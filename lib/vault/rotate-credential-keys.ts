import "server-only";
import type { Prisma, PrismaClient } from "@/lib/generated/prisma/client";
import type { VaultCipher } from "./cipher";

export type TRotationReport = {
  /** Credentials read. */
  scanned: number;
  /** Re-encrypted under the current key by this run. */
  rotated: number;
  /** Already under the current key (and decrypting). */
  alreadyCurrent: number;
  /** Changed by someone else between read and write; their new secrets are under the current key. */
  changedMeanwhile: number;
  /** Could not be decrypted (unknown key, tampering): left exactly as they were. */
  failed: { id: string; keyId: string; reason: string }[];
};

/**
 * Re-encrypts every credential's secrets under the cipher's current key, reading them with its
 * whole keyring; rows already under the current key are only checked. Rows are read in batches of
 * `batchSize` (by id) and each is written by its own update, guarded on the ciphertext it read, so
 * a concurrent change is never overwritten and the timestamps users see do not move. Idempotent:
 * a second run re-encrypts nothing. Nothing that fails to decrypt is touched.
 */
export async function rotateCredentialKeys(
  prisma: PrismaClient,
  cipher: VaultCipher,
  options: { batchSize?: number; onBatch?: (report: TRotationReport) => void } = {},
): Promise<TRotationReport> {
  const batchSize = options.batchSize ?? 100;
  const report: TRotationReport = { scanned: 0, rotated: 0, alreadyCurrent: 0, changedMeanwhile: 0, failed: [] };
  let after: string | null = null;
  for (;;) {
    const where: Prisma.CredentialWhereInput = after === null ? {} : { id: { gt: after } };
    const rows = await prisma.credential.findMany({
      where,
      orderBy: { id: "asc" },
      take: batchSize,
      select: { id: true, keyId: true, secretCiphertext: true, secretIv: true, secretTag: true, updatedAt: true },
    });
    if (rows.length === 0) return report;
    for (const row of rows) {
      report.scanned += 1;
      let plaintext: string;
      try {
        plaintext = cipher.decrypt({ ciphertext: row.secretCiphertext, iv: row.secretIv, tag: row.secretTag, keyId: row.keyId }, row.id);
      } catch (error) {
        report.failed.push({ id: row.id, keyId: row.keyId, reason: error instanceof Error ? error.message : String(error) });
        continue;
      }
      if (row.keyId === cipher.keyId) {
        report.alreadyCurrent += 1;
        continue;
      }
      const sealed = cipher.encrypt(plaintext, row.id);
      const written = await prisma.credential.updateMany({
        where: { id: row.id, keyId: row.keyId, secretIv: { equals: row.secretIv } },
        data: { secretCiphertext: sealed.ciphertext, secretIv: sealed.iv, secretTag: sealed.tag, keyId: sealed.keyId, updatedAt: row.updatedAt },
      });
      if (written.count === 1) report.rotated += 1;
      else report.changedMeanwhile += 1;
    }
    after = rows[rows.length - 1]!.id;
    options.onBatch?.(report);
  }
}
