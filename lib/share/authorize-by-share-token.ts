import { randomBytes } from "node:crypto";
import { z } from "zod";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import type { TAuthorizeViewer } from "@/lib/realtime/authorize-viewer";
import { resolveShareToken } from "./resolve-share-token";
import { attachShareLinkRevocation, rememberShareLink } from "./share-link-revocation";

const ZShareAuthSchema = z.looseObject({ shareToken: z.string().min(1).max(256) });

/** The name every share-link viewer goes by in presence: nothing about them is known. */
export const GUEST_NAME = "Guest";

/**
 * Authorizes by a share token in the handshake (`io(url, { auth: { shareToken } })`): the token's
 * link, while it is not revoked, lets the socket watch its one session — any other session is
 * `not_found`. The viewer is an anonymous guest, one per connection. The link's id is recorded on
 * the socket, and revocation is attached to the socket's server, so that revoking the link
 * disconnects it (see share-link-revocation.ts).
 */
export function authorizeByShareToken(deps: {
  prisma: PrismaClient;
  /** Default true. False only where revocation is attached otherwise (a test standing for another process). */
  attachRevocation?: boolean;
}): TAuthorizeViewer {
  return async (socket, sessionId) => {
    const auth = ZShareAuthSchema.safeParse(socket.handshake.auth);
    if (!auth.success) return null;
    const link = await resolveShareToken(deps, auth.data.shareToken);
    if (!link || link.sessionId !== sessionId) return null;
    rememberShareLink(socket, sessionId, link.linkId);
    // a server that lets share-link viewers in cuts them off when their link is revoked
    const io = (socket as Partial<Pick<typeof socket, "nsp">>).nsp?.server;
    if (io && deps.attachRevocation !== false) attachShareLinkRevocation(io, { prisma: deps.prisma });
    const data = socket.data as { guestId?: string };
    data.guestId ??= `guest_${randomBytes(12).toString("base64url")}`;
    return { viewer: { id: data.guestId, name: GUEST_NAME }, audience: "guest" };
  };
}
