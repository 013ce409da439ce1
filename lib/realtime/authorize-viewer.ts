import type { Socket } from "socket.io";
import { z } from "zod";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { isId } from "@/lib/ids";
import type { SessionStore } from "@/lib/event-log/session-store";
import { authenticateApiKey } from "@/lib/teams/api-keys/authenticate-api-key";
import type { ClientToServerEvents, InterServerEvents, ServerToClientEvents, TSocketData, TViewer } from "./session-protocol";
import type { TViewAudience } from "./view-events";

export type TRealtimeSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, TSocketData>;

/**
 * Decides who may watch a session: the viewer (shown to the others in presence) and what of the
 * log they receive (`audience`, see view-events.ts; the API's view when left out), or null. Null
 * must be the answer for an unknown session and for one the socket may not see alike.
 */
export type TViewerAccess = { viewer: TViewer; audience?: TViewAudience };
export type TAuthorizeViewer = (socket: TRealtimeSocket, sessionId: string) => Promise<TViewerAccess | null>;

const ZApiKeyAuthSchema = z.looseObject({ apiKey: z.string().min(1).max(256) });

/**
 * Authorizes by the API key in the handshake (`io(url, { auth: { apiKey } })`): a key of the
 * session's team may watch it. The viewer is the key, by its id and name.
 */
export function authorizeByApiKey(deps: { prisma: PrismaClient; store: Pick<SessionStore, "getSession"> }): TAuthorizeViewer {
  return async (socket, sessionId) => {
    const auth = ZApiKeyAuthSchema.safeParse(socket.handshake.auth);
    if (!auth.success || !isId("session", sessionId)) return null;
    const principal = await authenticateApiKey(deps.prisma, auth.data.apiKey);
    if (!principal) return null;
    const session = await deps.store.getSession(sessionId);
    if (!session || session.teamId !== principal.teamId) return null;
    const key = await deps.prisma.apiKey.findUnique({ where: { id: principal.apiKeyId }, select: { name: true } });
    return { viewer: { id: principal.apiKeyId, name: key?.name || "API key" }, audience: "api" };
  };
}
