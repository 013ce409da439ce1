import type { Logger } from "@/lib/log";
import type { SessionStore } from "@/lib/event-log/session-store";
import type { TAuthorizeViewer, TRealtimeSocket } from "./authorize-viewer";
import type { SessionFeeds } from "./session-feed";
import type { SessionPresence } from "./session-presence";
import { sessionGuestRoom, sessionRoom, type TJoinAck, type TViewer } from "./session-protocol";
import type { TViewAudience } from "./view-events";

/** Sessions one connection may watch at once. */
export const MAX_SESSIONS_PER_SOCKET = 100;

export type TSessionRoomDeps = {
  /** The session as a join reads it (its last seq); joins of one session arriving together share the read. */
  getSession: SessionStore["getSession"];
  /** What this server's sockets watch: one feed per session (see session-feed.ts). */
  feeds: SessionFeeds;
  authorize: TAuthorizeViewer;
  presence: SessionPresence;
  log: Logger;
};

/** One socket's following of one session. */
export type TJoinedSession = { stop(): void };

/** The sessions one socket has joined. */
export type TJoinedSessions = Map<string, TJoinedSession>;

/**
 * `session:join`: authorizes the socket, sends it the session's events after `afterSeq` and then
 * each new one (through the session's feed on this server), previews and the deletion, puts it in
 * the session's room and updates presence. A second join of the same session replaces the first.
 */
export async function joinSession(
  deps: TSessionRoomDeps,
  options: { socket: TRealtimeSocket; joined: TJoinedSessions; sessionId: string; afterSeq: number },
): Promise<TJoinAck> {
  const { socket, joined, sessionId, afterSeq } = options;
  const log = deps.log.child({ socketId: socket.id, sessionId });
  if (!joined.has(sessionId) && joined.size >= MAX_SESSIONS_PER_SOCKET) {
    return { ok: false, error: "invalid_request", message: `at most ${MAX_SESSIONS_PER_SOCKET} sessions per connection` };
  }
  let lastSeq: number;
  let viewer: TViewer;
  let audience: TViewAudience;
  try {
    const access = await deps.authorize(socket, sessionId);
    if (!access) return { ok: false, error: "not_found" };
    viewer = access.viewer;
    audience = access.audience ?? "api";
    const session = await deps.getSession(sessionId);
    if (!session) return { ok: false, error: "not_found" };
    lastSeq = session.state.lastSeq;
  } catch (error) {
    log.error("session join failed", { error });
    return { ok: false, error: "unavailable" };
  }
  if (afterSeq > lastSeq) return { ok: false, error: "invalid_request", message: `afterSeq: the session's last seq is ${lastSeq}` };
  if (socket.disconnected) return { ok: false, error: "unavailable" };

  joined.get(sessionId)?.stop();
  joined.delete(sessionId);
  socket.data.viewers[sessionId] = viewer;
  // a guest joins both rooms at once (see sessionGuestRoom); a member's rejoin leaves the guests' room
  if (audience === "guest") await socket.join([sessionRoom(sessionId), sessionGuestRoom(sessionId)]);
  else {
    await socket.leave(sessionGuestRoom(sessionId));
    await socket.join(sessionRoom(sessionId));
  }

  const watch = deps.feeds.watch({
    socket,
    sessionId,
    audience,
    afterSeq,
    lastSeq,
    // the feed ended under the live socket (the session was deleted): the join ends
    onEnded: () => {
      end();
      void deps.presence.update(sessionId);
    },
  });
  const follow: TJoinedSession = { stop: () => watch.stop() };
  let ended = false;
  const end = () => {
    if (ended) return;
    ended = true;
    watch.stop();
    if (joined.get(sessionId) === follow) joined.delete(sessionId);
    if (joined.has(sessionId)) return; // replaced by a later join
    delete socket.data.viewers[sessionId];
    void socket.leave(sessionRoom(sessionId));
    void socket.leave(sessionGuestRoom(sessionId));
  };
  let outcome: number | "deleted" | "stopped";
  try {
    outcome = await watch.live;
  } catch (error) {
    end();
    log.error("session join failed", { error });
    return { ok: false, error: "unavailable" };
  }
  if (typeof outcome !== "number" || ended || socket.disconnected) {
    // deleted while catching up (the socket was sent session:deleted), or the socket went away
    const deleted = outcome === "deleted" || ended;
    end();
    return deleted ? { ok: false, error: "not_found" } : { ok: false, error: "unavailable" };
  }
  joined.set(sessionId, follow);
  void deps.presence.update(sessionId);
  return { ok: true, lastSeq: outcome };
}

/** `session:leave`: stops sending the session's events to the socket and updates presence. */
export async function leaveSession(deps: Pick<TSessionRoomDeps, "presence">, options: { socket: TRealtimeSocket; joined: TJoinedSessions; sessionId: string }): Promise<void> {
  const { socket, joined, sessionId } = options;
  const follow = joined.get(sessionId);
  if (!follow) return;
  follow.stop();
  joined.delete(sessionId);
  delete socket.data.viewers[sessionId];
  await socket.leave(sessionRoom(sessionId));
  await socket.leave(sessionGuestRoom(sessionId));
  await deps.presence.update(sessionId);
}
