import "server-only";
import type { Prisma, PrismaClient } from "@/lib/generated/prisma/client";
import type { VaultCipher } from "@/lib/vault/cipher";
import type { TRotationReport } from "@/lib/vault/rotate-credential-keys";

/**
 * Re-seals every webhook endpoint's signing secret under the cipher's current key, as
 * `rotateCredentialKeys` does for credentials (run beside it by `npm run vault:rotate-key`): in
 * batches by id, each row written by its own update guarded on the ciphertext it read, idempotent,
 * and a row that does not open is reported and left as it is.
 */
export async function rotateWebhookKeys(prisma: PrismaClient, cipher: VaultCipher, options: { batchSize?: number } = {}): Promise<TRotationReport> {
  const batchSize = options.batchSize ?? 100;
  const report: TRotationReport = { scanned: 0, rotated: 0, alreadyCurrent: 0, changedMeanwhile: 0, failed: [] };
  let after: string | null = null;
  for (;;) {
    const where: Prisma.WebhookEndpointWhereInput = after === null ? {} : { id: { gt: after } };
    const rows = await prisma.webhookEndpoint.findMany({ where, orderBy: { id: "asc" }, take: batchSize, select: { id: true, keyId: true, secretCiphertext: true, secretIv: true, secretTag: true } });
    if (rows.length === 0) return report;
    for (const row of rows) {
      report.scanned += 1;
      let secret: string;
      try {
        secret = cipher.decrypt({ ciphertext: row.secretCiphertext, iv: row.secretIv, tag: row.secretTag, keyId: row.keyId }, row.id);
      } catch (error) {
        report.failed.push({ id: row.id, keyId: row.keyId, reason: (error instanceof Error ? error.message : String(error)).replace(/^credential /, "webhook ") });
        continue;
      }
      if (row.keyId === cipher.keyId) {
        report.alreadyCurrent += 1;
        continue;
      }
      const sealed = cipher.encrypt(secret, row.id);
      const written = await prisma.webhookEndpoint.updateMany({
        where: { id: row.id, keyId: row.keyId, secretIv: { equals: row.secretIv } },
        data: { secretCiphertext: sealed.ciphertext, secretIv: sealed.iv, secretTag: sealed.tag, keyId: sealed.keyId },
      });
      if (written.count === 1) report.rotated += 1;
      else report.changedMeanwhile += 1;
    }
    after = rows[rows.length - 1]!.id;
  }
}
