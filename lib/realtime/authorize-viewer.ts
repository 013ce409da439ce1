import type { Socket } from "socket.io";
import { z } from "zod";
import { isId } from "@/lib/ids";
import type { SessionStore } from "@/lib/event-log/session-store";
import { coalescedReads } from "./coalesced-read";
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
 * session's team may watch it. The viewer is the key, by its id and name. The key, the session and
 * the key's name are read at each join; joins with the same key to the same session that arrive
 * together share those reads (`coalescedReads`: never a read that started before the join).
 */
/** Who a key is (its team, id and name), or null for an unknown or revoked key: given by the composition root (lib/teams). */
export type TAuthenticateKey = (key: string) => Promise<{ teamId: string; apiKeyId: string; name: string } | null>;

export function authorizeByApiKey(deps: { authenticate: TAuthenticateKey; store: Pick<SessionStore, "getSession"> }): TAuthorizeViewer {
  const check = coalescedReads(async (key: string): Promise<TViewerAccess | null> => {
    const [apiKey, sessionId] = JSON.parse(key) as [string, string];
    const [principal, session] = await Promise.all([deps.authenticate(apiKey), deps.store.getSession(sessionId)]);
    if (!principal || !session || session.teamId !== principal.teamId) return null;
    return { viewer: { id: principal.apiKeyId, name: principal.name }, audience: "api" };
  });
  return async (socket, sessionId) => {
    const auth = ZApiKeyAuthSchema.safeParse(socket.handshake.auth);
    if (!auth.success || !isId("session", sessionId)) return null;
    const access = await check(JSON.stringify([auth.data.apiKey, sessionId]));
    return access && { viewer: { ...access.viewer }, audience: access.audience }; // each socket its own copy
  };
}
