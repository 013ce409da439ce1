import type { DirectSql } from "@/lib/db/direct-sql";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { hashApiKey } from "./hash-api-key";

export type TApiPrincipal = { teamId: string; apiKeyId: string };

/**
 * The team a key belongs to, or null for an unknown or revoked key (indistinguishable), and for an
 * environment key: that authorizes one environment's work queue only (`authenticateEnvironmentKey`).
 */
export async function authenticateApiKey(db: TKeyDb, key: string): Promise<TApiPrincipal | null> {
  return teamPrincipal(await findLiveKey(db, key));
}

/** The one self-hosted environment an environment key authorizes, or null for any other key. */
export async function authenticateEnvironmentKey(db: TKeyDb, key: string): Promise<(TApiPrincipal & { environmentId: string }) | null> {
  const row = await findLiveKey(db, key);
  return row?.environmentId ? { teamId: row.teamId, apiKeyId: row.id, environmentId: row.environmentId } : null;
}

/**
 * Where keys are looked up: Prisma for the write, and `sql`, the statements on the driver itself
 * (lib/db/direct-sql.ts; Prisma's client answers the same interface). Decision: every API request
 * starts with this read, so it is one statement on the driver, about 1 ms less than through
 * Prisma's client here.
 */
export type TKeyDb = { prisma: PrismaClient; sql: DirectSql };

type TKeyRow = { id: string; teamId: string; environmentId: string | null; name: string; revoked: boolean; usedLately: boolean };

async function findLiveKey({ prisma, sql }: TKeyDb, key: string) {
  if (key.length < 8 || key.length > 256) return null;
  const [row] = await sql.$queryRaw<TKeyRow[]>`
    SELECT "id", "teamId", "environmentId", "name", "revokedAt" IS NOT NULL AS "revoked",
      COALESCE("lastUsedAt" > (now() AT TIME ZONE 'UTC') - interval '60 seconds', false) AS "usedLately"
    FROM "ApiKey" WHERE "keyHash" = ${hashApiKey(key)}`;
  if (!row || row.revoked) return null;
  // lastUsedAt is for people, not for security: written at most once a minute per key
  if (!row.usedLately) {
    void prisma.apiKey.update({ where: { id: row.id }, data: { lastUsedAt: new Date() } }).catch(() => {});
  }
  return row;
}

/** A key's principal and its name (how viewers see a script watching a session), or null like `authenticateApiKey`. */
export async function authenticateNamedApiKey(db: TKeyDb, key: string): Promise<(TApiPrincipal & { name: string }) | null> {
  const row = await findLiveKey(db, key);
  const principal = teamPrincipal(row);
  return principal && { ...principal, name: row!.name || "API key" };
}

/** A team key's principal; null for no key, and for an environment key (it authorizes one work queue only). */
function teamPrincipal(row: TKeyRow | null): TApiPrincipal | null {
  return row && !row.environmentId ? { teamId: row.teamId, apiKeyId: row.id } : null;
}
