import { AppError } from "@/lib/errors";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { isId, newId } from "@/lib/ids";
import { shareLinkToWire, type TShareLink } from "./share-link-to-wire";
import { deriveShareToken, hashShareToken, newShareToken, replayPath } from "./share-token";

/** A new link: its token and path are returned this once and never again. */
export type TCreatedShareLink = TShareLink & { token: string; path: string };

/**
 * Creates a read-only replay link to a session of the team. Anyone holding the link may watch
 * the session's events (never its metadata, vaults or anything secret) until it is revoked.
 * Another team's session and an unknown one are the same 404.
 */
export async function createShareLink(
  deps: {
    prisma: PrismaClient;
    /** The server's secret the token is derived from, so the link can be copied again (share-token.ts); without it the token is random. */
    tokenSecret?: () => string;
  },
  options: { teamId: string; sessionId: string; createdBy: string | null },
): Promise<TCreatedShareLink> {
  const { prisma } = deps;
  const session = isId("session", options.sessionId)
    ? await prisma.session.findFirst({ where: { id: options.sessionId, teamId: options.teamId }, select: { id: true } })
    : null;
  if (!session) throw new AppError("not_found", `session ${options.sessionId.slice(0, 64)} not found`);
  const id = newId("shareLink");
  const token = deps.tokenSecret ? deriveShareToken(deps.tokenSecret(), id) : newShareToken();
  const row = await prisma.shareLink.create({
    data: { id, sessionId: session.id, tokenHash: hashShareToken(token), createdBy: options.createdBy },
  });
  return { ...shareLinkToWire(row), token, path: replayPath(token) };
}
