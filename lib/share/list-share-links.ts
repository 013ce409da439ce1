import { AppError } from "@/lib/errors";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { isId } from "@/lib/ids";
import { shareLinkToWire, type TShareLink } from "./share-link-to-wire";

/** The share links of a session of the team, newest first, revoked ones included (unless asked not to). */
export async function listShareLinks(
  deps: { prisma: PrismaClient },
  options: { teamId: string; sessionId: string; includeRevoked?: boolean },
): Promise<TShareLink[]> {
  const { prisma } = deps;
  const session = isId("session", options.sessionId)
    ? await prisma.session.findFirst({ where: { id: options.sessionId, teamId: options.teamId }, select: { id: true } })
    : null;
  if (!session) throw new AppError("not_found", `session ${options.sessionId.slice(0, 64)} not found`);
  const rows = await prisma.shareLink.findMany({
    where: { sessionId: session.id, ...(options.includeRevoked === false ? { revokedAt: null } : {}) },
    orderBy: { id: "desc" },
  });
  return rows.map(shareLinkToWire);
}
