import type { Logger } from "@/lib/log";
import type { SessionStore } from "@/lib/session/session-store";
import type { TAuthorizeViewer, TRealtimeSocket } from "./authorize-viewer";
import type { EventBus } from "./event-bus";
import { followSession, type TFollow } from "./follow-session";
import type { SessionPresence } from "./session-presence";
import { sessionGuestRoom, sessionRoom, type TJoinAck, type TViewer } from "./session-protocol";
import { toViewEvents, type TViewAudience } from "./view-events";

/** Sessions one connection may watch at once (each costs a subscription and a periodic read). */
export const MAX_SESSIONS_PER_SOCKET = 100;

export type TSessionRoomDeps = {
  store: Pick<SessionStore, "getSession" | "getEvents">;
  bus: EventBus;
  authorize: TAuthorizeViewer;
  presence: SessionPresence;
  log: Logger;
  /** How often each join reads the log anyway (see `followSession`). */
  pollMs: number;
};

/** The sessions one socket has joined. */
export type TJoinedSessions = Map<string, TFollow>;

/**
 * `session:join`: authorizes the socket, sends it the session's events after `afterSeq` and then
 * each new one (see `followSession`), previews and the deletion, puts it in the session's room and
 * updates presence. A second join of the same session replaces the first.
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
    const session = await deps.store.getSession(sessionId);
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

  let follow: TFollow | undefined;
  let ended = false;
  const end = () => {
    if (ended) return;
    ended = true;
    follow?.stop();
    if (follow && joined.get(sessionId) === follow) joined.delete(sessionId);
    if (joined.has(sessionId)) return; // replaced by a later join
    delete socket.data.viewers[sessionId];
    void socket.leave(sessionRoom(sessionId));
    void socket.leave(sessionGuestRoom(sessionId));
  };
  try {
    follow = await followSession({
      store: deps.store,
      bus: deps.bus,
      sessionId,
      afterSeq,
      pollMs: deps.pollMs,
      onEvents: (events) => {
        // the catch-up and the live events pass here alike: each viewer sees what its audience may
        const wire = toViewEvents(events, audience);
        if (wire.length > 0) socket.emit("session:events", { sessionId, events: wire });
      },
      onPreview: (preview) => socket.emit("session:preview", { sessionId, preview }),
      onDeleted: () => {
        socket.emit("session:deleted", { sessionId });
        end();
        void deps.presence.update(sessionId);
      },
      onReadError: (error) => log.warn("session log read failed", { error }),
    });
  } catch (error) {
    end();
    log.error("session join failed", { error });
    return { ok: false, error: "unavailable" };
  }
  if (ended || socket.disconnected) {
    end();
    return ended ? { ok: false, error: "not_found" } : { ok: false, error: "unavailable" };
  }
  joined.set(sessionId, follow);
  void deps.presence.update(sessionId);
  return { ok: true, lastSeq: follow.lastSeq() };
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
