import "server-only";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import type { TAttemptOutcome, TClaimedDelivery, WebhookOutbox } from "./outbox";

type TClaimRow = {
  id: string;
  endpointId: string;
  eventId: string;
  eventType: string;
  subjectId: string;
  threadId: string | null;
  occurredAt: Date;
  attempts: number;
  url: string;
  teamId: string;
  secretCiphertext: Uint8Array;
  secretIv: Uint8Array;
  secretTag: Uint8Array;
  keyId: string;
};

/**
 * The outbox in the `WebhookDelivery` table. A claim is one statement: the due rows are picked
 * `FOR UPDATE SKIP LOCKED` (two dispatchers never wait for, nor take, the same row) and leased on
 * the database's clock; an attempt is recorded only while its lease is still the recorder's.
 */
export class PrismaWebhookOutbox implements WebhookOutbox {
  constructor(private readonly prisma: PrismaClient) {}

  async claim(options: { owner: string; limit: number; leaseMs: number }): Promise<TClaimedDelivery[]> {
    const rows = await this.prisma.$queryRaw<TClaimRow[]>`
      WITH "due" AS (
        SELECT "id" FROM "WebhookDelivery"
        WHERE "status" = 'pending' AND "nextAttemptAt" <= now() AND ("leaseExpiresAt" IS NULL OR "leaseExpiresAt" < now())
        ORDER BY "nextAttemptAt" LIMIT ${options.limit}::int
        FOR UPDATE SKIP LOCKED)
      UPDATE "WebhookDelivery" AS d
      SET "leaseOwner" = ${options.owner}, "leaseExpiresAt" = now() + make_interval(secs => ${options.leaseMs / 1000}::float8)
      FROM "due", "WebhookEndpoint" AS e
      WHERE d."id" = "due"."id" AND e."id" = d."endpointId"
      RETURNING d."id", d."endpointId", d."eventId", d."eventType", d."subjectId", d."threadId", d."occurredAt", d."attempts",
        e."url", e."teamId", e."secretCiphertext", e."secretIv", e."secretTag", e."keyId"`;
    return rows.map((r) => ({
      id: r.id,
      endpointId: r.endpointId,
      url: r.url,
      teamId: r.teamId,
      eventId: r.eventId,
      eventType: r.eventType,
      subjectId: r.subjectId,
      threadId: r.threadId,
      occurredAt: r.occurredAt,
      attempts: r.attempts,
      secret: { ciphertext: r.secretCiphertext, iv: r.secretIv, tag: r.secretTag, keyId: r.keyId },
    }));
  }

  async record(options: { id: string; owner: string; outcome: TAttemptOutcome; retryInMs: number | null }): Promise<boolean> {
    const { outcome } = options;
    const status = outcome.ok ? "delivered" : options.retryInMs === null ? "failed" : "pending";
    const retrySecs = (options.retryInMs ?? 0) / 1000;
    const updated = await this.prisma.$executeRaw`
      UPDATE "WebhookDelivery" SET
        "status" = ${status}, "attempts" = "attempts" + 1, "lastAttemptAt" = now(),
        "responseStatus" = ${outcome.responseStatus}::int, "responseBody" = ${outcome.responseBody}, "lastError" = ${outcome.error},
        "deliveredAt" = CASE WHEN ${outcome.ok} THEN now() ELSE "deliveredAt" END,
        "nextAttemptAt" = CASE WHEN ${status} = 'pending' THEN now() + make_interval(secs => ${retrySecs}::float8) ELSE "nextAttemptAt" END,
        "leaseOwner" = NULL, "leaseExpiresAt" = NULL
      WHERE "id" = ${options.id} AND "leaseOwner" = ${options.owner}`;
    return updated === 1;
  }
}
