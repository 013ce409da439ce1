import type { PrismaClient } from "@/lib/generated/prisma/client";
import { hashApiKey } from "./hash-api-key";

export type TApiPrincipal = { teamId: string; apiKeyId: string };

/**
 * The team a key belongs to, or null for an unknown or revoked key (indistinguishable), and for an
 * environment key: that authorizes one environment's work queue only (`authenticateEnvironmentKey`).
 */
export async function authenticateApiKey(prisma: PrismaClient, key: string): Promise<TApiPrincipal | null> {
  const row = await findLiveKey(prisma, key);
  return row && !row.environmentId ? { teamId: row.teamId, apiKeyId: row.id } : null;
}

/** The one self-hosted environment an environment key authorizes, or null for any other key. */
export async function authenticateEnvironmentKey(prisma: PrismaClient, key: string): Promise<(TApiPrincipal & { environmentId: string }) | null> {
  const row = await findLiveKey(prisma, key);
  return row?.environmentId ? { teamId: row.teamId, apiKeyId: row.id, environmentId: row.environmentId } : null;
}

async function findLiveKey(prisma: PrismaClient, key: string) {
  if (key.length < 8 || key.length > 256) return null;
  const row = await prisma.apiKey.findUnique({
    where: { keyHash: hashApiKey(key) },
    select: { id: true, teamId: true, environmentId: true, revokedAt: true, lastUsedAt: true },
  });
  if (!row || row.revokedAt) return null;
  // lastUsedAt is for people, not for security: written at most once a minute per key
  if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() > 60_000) {
    void prisma.apiKey.update({ where: { id: row.id }, data: { lastUsedAt: new Date() } }).catch(() => {});
  }
  return row;
}

/** A key's principal and its name (how viewers see a script watching a session), or null like `authenticateApiKey`. */
export async function authenticateNamedApiKey(prisma: PrismaClient, key: string): Promise<(TApiPrincipal & { name: string }) | null> {
  const principal = await authenticateApiKey(prisma, key);
  if (!principal) return null;
  const row = await prisma.apiKey.findUnique({ where: { id: principal.apiKeyId }, select: { name: true } });
  return { ...principal, name: row?.name || "API key" };
}
