import type { Logger } from "@/lib/log";
import type { SessionStore } from "@/lib/event-log/session-store";
import type { TAuthorizeViewer, TRealtimeSocket } from "./authorize-viewer";
import type { EventBus } from "./event-bus";
import { followSession, type TSessionFollow } from "./follow-session";
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
  /** How often the log is read anyway (see `followSession`: one poll per session, shared by every join). */
  pollMs: number;
};

/** One socket's following of one session. */
export type TJoinedSession = { stop(): void };

/** The sessions one socket has joined. */
export type TJoinedSessions = Map<string, TJoinedSession>;

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

  const stopping = new AbortController();
  const follow: TJoinedSession = { stop: () => stopping.abort() };
  let ended = false;
  const end = () => {
    if (ended) return;
    ended = true;
    follow.stop();
    if (joined.get(sessionId) === follow) joined.delete(sessionId);
    if (joined.has(sessionId)) return; // replaced by a later join
    delete socket.data.viewers[sessionId];
    void socket.leave(sessionRoom(sessionId));
    void socket.leave(sessionGuestRoom(sessionId));
  };
  const events = followSession(sessionId, afterSeq, { store: deps.store, bus: deps.bus, pollMs: deps.pollMs, previews: true, signal: stopping.signal });
  // the log read to its end (its last seq), or why not: the join's answer
  let answer!: (outcome: number | { failed: unknown } | "ended") => void;
  const caughtUp = new Promise<number | { failed: unknown } | "ended">((resolve) => (answer = resolve));
  void emitFollowed(events, { socket, sessionId, audience, log }, {
    caughtUp: (lastSeq) => answer(lastSeq),
    failed: (error) => answer({ failed: error }),
    deleted: () => {
      end();
      void deps.presence.update(sessionId);
    },
  })
    .then(
      () => answer("ended"),
      (error: unknown) => {
        answer({ failed: error }); // before the answer: the join fails; after it, the socket stops getting the session
        log.error("session follow failed", { error });
        end();
      },
    );
  const outcome = await caughtUp;
  if (typeof outcome === "object") {
    end();
    log.error("session join failed", { error: outcome.failed });
    return { ok: false, error: "unavailable" };
  }
  if (outcome === "ended" || ended || socket.disconnected) {
    const deleted = outcome === "ended" || ended;
    end();
    return deleted ? { ok: false, error: "not_found" } : { ok: false, error: "unavailable" };
  }
  joined.set(sessionId, follow);
  void deps.presence.update(sessionId);
  return { ok: true, lastSeq: outcome };
}

/**
 * Sends the socket what it follows: the events (catch-up and live alike, each viewer what its
 * audience may see), previews and the deletion. A read that fails before the log was first read to
 * its end fails the join; a later one is logged, and the next poll or bus message reads again.
 */
async function emitFollowed(
  events: TSessionFollow,
  to: { socket: TRealtimeSocket; sessionId: string; audience: TViewAudience; log: Logger },
  on: { caughtUp(lastSeq: number): void; failed(error: unknown): void; deleted(): void },
): Promise<void> {
  const { socket, sessionId, audience, log } = to;
  let caughtUp = false;
  for await (const item of events) {
    if (item.kind === "events") {
      const wire = toViewEvents(item.events, audience);
      if (wire.length > 0) socket.emit("session:events", { sessionId, events: wire });
    } else if (item.kind === "preview") {
      socket.emit("session:preview", { sessionId, preview: item.preview });
    } else if (item.kind === "caught-up") {
      caughtUp = true;
      on.caughtUp(item.lastSeq);
    } else if (item.kind === "read-failed") {
      if (!caughtUp) return on.failed(item.error);
      log.warn("session log read failed", { error: item.error });
    } else {
      socket.emit("session:deleted", { sessionId });
      on.deleted();
    }
  }
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
