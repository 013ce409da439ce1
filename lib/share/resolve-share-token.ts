import type { PrismaClient } from "@/lib/generated/prisma/client";
import { hashShareToken, SHARE_TOKEN } from "./share-token";

export type TResolvedShareLink = { linkId: string; sessionId: string };

/**
 * The session a share token opens, with the link's id; null for anything else — a malformed
 * token, an unknown one, a revoked link, a deleted session (its links go with it). Looked up by
 * the token's hash, so nothing compares the token itself.
 */
export async function resolveShareToken(deps: { prisma: PrismaClient }, token: string): Promise<TResolvedShareLink | null> {
  if (!SHARE_TOKEN.test(token)) return null;
  const link = await deps.prisma.shareLink.findUnique({
    where: { tokenHash: hashShareToken(token) },
    select: { id: true, sessionId: true, revokedAt: true },
  });
  if (!link || link.revokedAt) return null;
  return { linkId: link.id, sessionId: link.sessionId };
}
