import { AppError } from "@/lib/errors";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { isId } from "@/lib/ids";
import { announceShareLinkRevoked, type TRevokedShareLink } from "./share-link-revocation";
import { shareLinkToWire, type TShareLink } from "./share-link-to-wire";

export type TRevokeShareLinkDeps = {
  prisma: PrismaClient;
  /** Tells the socket server to cut the link's viewers; default: `announceShareLinkRevoked`. */
  announce?: (link: TRevokedShareLink) => Promise<void>;
};

/**
 * Revokes a share link of a session of the team. From the moment it commits, the link opens
 * nothing: the replay page answers 404, a join with it is refused, and viewers watching through
 * it are disconnected. Revoking a revoked link changes nothing and is not an error.
 */
export async function revokeShareLink(
  deps: TRevokeShareLinkDeps,
  options: { teamId: string; linkId: string; sessionId?: string; now?: Date },
): Promise<TShareLink> {
  const { prisma } = deps;
  const where = { id: options.linkId, session: { teamId: options.teamId }, ...(options.sessionId ? { sessionId: options.sessionId } : {}) };
  if (!isId("shareLink", options.linkId)) throw new AppError("not_found", `share link ${options.linkId.slice(0, 64)} not found`);
  await prisma.shareLink.updateMany({ where: { ...where, revokedAt: null }, data: { revokedAt: options.now ?? new Date() } });
  const link = await prisma.shareLink.findFirst({ where });
  if (!link) throw new AppError("not_found", `share link ${options.linkId.slice(0, 64)} not found`);
  await (deps.announce ?? announceShareLinkRevoked)({ linkId: link.id, sessionId: link.sessionId });
  return shareLinkToWire(link);
}
