import type { PrismaClient } from "@/lib/generated/prisma/client";
import { log as processLog, type Logger } from "@/lib/log";
import { processAnnouncements } from "@/lib/realtime/process-announcements";
import { sessionRoom } from "@/lib/realtime/session-protocol";
import type { RealtimeServer } from "@/lib/realtime/socket-server";
import { attachSocketSweep, type TSocketSweep } from "@/lib/realtime/socket-sweep";

/**
 * How a revoked link stops working for the viewers already watching through it.
 *
 * A socket authorized by a share link carries the link's id in `socket.data.shareLinks`
 * (session id → link id; other servers read it through `fetchSockets()`). On revocation:
 * 1. `revokeShareLink` announces it in its process (`announceShareLinkRevoked`);
 * 2. the socket server's listener (`attachShareLinkRevocation`, attached by the share-token
 *    authorizer to the server of the first socket it lets in) fetches the session room's sockets
 *    — every server's, through the Redis adapter — and disconnects those the link authorized;
 * 3. a periodic sweep of each server's own share sockets disconnects any whose link is no longer
 *    active: it catches a revocation made in a process without a socket server, or a viewer
 *    whose join raced the revocation.
 * A disconnected viewer that reconnects is refused at `session:join` (the token no longer resolves).
 *
 * The announcement goes through `processAnnouncements` (listeners on `globalThis`, so a revocation
 * made by a route reaches the socket server started by the custom server).
 */

export type TRevokedShareLink = { linkId: string; sessionId: string };
const revocations = processAnnouncements<TRevokedShareLink>("share-link-revocation");

/** Registers a listener for revocations made in this process; returns the function that removes it. */
export const onShareLinkRevoked = revocations.on;

/** Tells this process's listeners that a link was revoked, and waits for them. Never rejects. */
export const announceShareLinkRevoked = revocations.announce;

// ── per-socket record ────────────────────────────────────────────────────────────────────────────

type TShareSocketData = { shareLinks?: Record<string, string> };

/** Records on the socket that `linkId` authorized it to watch `sessionId`. */
export function rememberShareLink(socket: { data: unknown }, sessionId: string, linkId: string): void {
  const data = socket.data as TShareSocketData;
  data.shareLinks = { ...data.shareLinks, [sessionId]: linkId };
}

/** The share links (session id → link id) recorded on a socket's data. */
export function shareLinksOf(data: unknown): Record<string, string> {
  const links = (data as TShareSocketData | undefined)?.shareLinks;
  return links && typeof links === "object" ? links : {};
}

// ── on the socket server ─────────────────────────────────────────────────────────────────────────

type TShareIo = Pick<RealtimeServer, "in" | "local">;

/** Disconnects, on every server, the sockets watching the session through `link`. Returns how many. */
export async function disconnectShareLinkViewers(io: TShareIo, link: TRevokedShareLink): Promise<number> {
  const sockets = await io.in(sessionRoom(link.sessionId)).fetchSockets();
  let count = 0;
  for (const socket of sockets) {
    if (shareLinksOf(socket.data)[link.sessionId] !== link.linkId) continue;
    socket.disconnect(true);
    count += 1;
  }
  return count;
}

export const DEFAULT_SHARE_SWEEP_MS = 5_000;
const SWEEP_BATCH = 500;

export type TShareLinkRevocation = TSocketSweep;

/**
 * Makes revocations reach this socket server's viewers: listens for revocations announced in this
 * process and sweeps its share sockets every `sweepMs` (`attachSocketSweep`). Once per server: a
 * second call returns the first one's handle. It stops by itself when the server's HTTP server
 * closes, or on `stop()`. `authorizeByShareToken` calls it for the server of the first socket it
 * lets in, so a server that accepts share links always enforces their revocation.
 */
export function attachShareLinkRevocation(io: TShareIo, options: { prisma: PrismaClient; sweepMs?: number; log?: Logger }): TShareLinkRevocation {
  const log = (options.log ?? processLog).child({ component: "share-links" });
  return attachSocketSweep<string>(io, {
    name: "share-links",
    alongside: () =>
      onShareLinkRevoked(async (link) => {
        try {
          const count = await disconnectShareLinkViewers(io, link);
          if (count > 0) log.info("share link viewers disconnected", { linkId: link.linkId, sessionId: link.sessionId, count });
        } catch (error) {
          log.warn("share link viewers could not be disconnected", { linkId: link.linkId, error });
        }
      }),
    grantsOf: (data) => [...new Set(Object.values(shareLinksOf(data)))].map((linkId) => [linkId, linkId] as const),
    async stillHeld(linkIds) {
      const active = await options.prisma.shareLink.findMany({ where: { id: { in: linkIds }, revokedAt: null }, select: { id: true } });
      return active.map((row) => row.id);
    },
    batchSize: SWEEP_BATCH,
    everyMs: options.sweepMs ?? DEFAULT_SHARE_SWEEP_MS,
    log,
    messages: { disconnected: "share link viewers disconnected", failed: "share link sweep failed" },
  });
}
