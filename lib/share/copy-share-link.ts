import { AppError } from "@/lib/errors";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { isId } from "@/lib/ids";
import { deriveShareToken, hashShareToken, replayPath } from "./share-token";

/**
 * The address of an active share link of a session of the team, again: its token is derived anew
 * from the server's secret and the link's id (share-token.ts) and must match the stored hash. A
 * link made with a random token (before links could be copied again, or under a secret since
 * rotated) cannot be: the error says to make a new one. A revoked link is not copied.
 */
export async function copyShareLink(
  deps: { prisma: PrismaClient; tokenSecret: () => string },
  options: { teamId: string; sessionId: string; linkId: string },
): Promise<{ path: string }> {
  const link = isId("shareLink", options.linkId)
    ? await deps.prisma.shareLink.findFirst({
        where: { id: options.linkId, sessionId: options.sessionId, session: { teamId: options.teamId } },
        select: { id: true, tokenHash: true, revokedAt: true },
      })
    : null;
  if (!link) throw new AppError("not_found", `share link ${options.linkId.slice(0, 64)} not found`);
  if (link.revokedAt) throw new AppError("invalid_request", "This link was revoked: it opens nothing any more. Create a new one.");
  const token = deriveShareToken(deps.tokenSecret(), link.id);
  if (hashShareToken(token) !== link.tokenHash) {
    throw new AppError("invalid_request", "This link's address was shown only when it was made and cannot be copied again. Create a new link (and revoke this one if it is no longer needed).");
  }
  return { path: replayPath(token) };
}
