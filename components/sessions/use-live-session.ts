"use client";

import { useEffect, useReducer, useRef } from "react";
import { io, type Socket } from "socket.io-client";
import type { ClientToServerEvents, ServerToClientEvents } from "@/lib/realtime/session-protocol";
import { initialLiveSession, lastSeqOf, liveSessionReducer, type TLiveSession } from "@/lib/sessions/ui/live-session";
import type { TTimelineEvent } from "@/lib/timeline/fold-timeline";

const SOCKET_PATH = "/socket.io";
const JOIN_TIMEOUT_MS = 10_000;
const REJOIN_MS = 2_000;
const RECONNECT_AFTER_SERVER_DISCONNECT_MS = 1_000;

/**
 * Follows a session live over Socket.io as the signed-in member (the session cookie goes with the
 * same-origin connection). Joins with the last seq held and receives what it missed, then each new
 * event; every (re)connection joins again from the last seq held, so a dropped connection or a
 * restarted server loses nothing, and the reducer keeps each seq once.
 */
export function useLiveSession({ sessionId, initialEvents, model }: { sessionId: string; initialEvents: readonly TTimelineEvent[]; model: string | null }): TLiveSession {
  const [state, dispatch] = useReducer(liveSessionReducer, undefined, () => initialLiveSession(initialEvents, { model }));
  const stateRef = useRef(state);
  stateRef.current = state;

  useEffect(() => {
    let stopped = false;
    let retry: ReturnType<typeof setTimeout> | undefined;
    // WebSocket only, as the replay connects: one connection to one process, so several web
    // processes behind a load balancer need no sticky sessions (long-polling would spread a
    // socket's requests across them)
    const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io({ path: SOCKET_PATH, transports: ["websocket"], withCredentials: true });

    const join = async () => {
      clearTimeout(retry);
      if (stopped || !socket.connected) return;
      try {
        const ack = await socket.timeout(JOIN_TIMEOUT_MS).emitWithAck("session:join", { sessionId, afterSeq: lastSeqOf(stateRef.current) });
        if (stopped) return;
        if (ack.ok) return dispatch({ type: "connection", connection: "live" });
        if (ack.error === "not_found") {
          dispatch({ type: "connection", connection: "not_found" });
          return;
        }
      } catch {
        // no answer in time: try again
      }
      if (stopped) return;
      dispatch({ type: "connection", connection: "reconnecting" });
      retry = setTimeout(() => void join(), REJOIN_MS);
    };

    socket.on("connect", () => void join());
    socket.on("connect_error", () => !stopped && dispatch({ type: "connection", connection: "reconnecting" }));
    socket.on("disconnect", (reason) => {
      if (stopped) return;
      dispatch({ type: "connection", connection: "reconnecting" });
      // a server shutting down ends the connection itself, and Socket.io does not come back on its own then
      if (reason === "io server disconnect") retry = setTimeout(() => !stopped && socket.connect(), RECONNECT_AFTER_SERVER_DISCONNECT_MS);
    });
    socket.on("session:events", (payload) => {
      if (!stopped && payload.sessionId === sessionId) dispatch({ type: "events", events: payload.events });
    });
    socket.on("session:preview", (payload) => {
      if (!stopped && payload.sessionId === sessionId) dispatch({ type: "preview", preview: payload.preview });
    });
    socket.on("session:presence", (payload) => {
      if (!stopped && payload.sessionId === sessionId) dispatch({ type: "presence", viewers: payload.viewers, version: payload.version });
    });
    socket.on("session:deleted", (payload) => {
      if (payload.sessionId !== sessionId) return;
      dispatch({ type: "connection", connection: "deleted" });
      stopped = true;
      clearTimeout(retry);
      socket.close();
    });
    return () => {
      stopped = true;
      clearTimeout(retry);
      socket.close();
    };
  }, [sessionId]);

  return state;
}
