"use client";

import { useEffect, useRef, useState } from "react";
import { io, type Socket } from "socket.io-client";
import type { TPreview } from "@/lib/realtime/event-bus";
import type { ClientToServerEvents, ServerToClientEvents } from "@/lib/realtime/session-protocol";
import type { TTimelineEvent } from "@/lib/timeline/fold-timeline";

/**
 * Follows a shared session live over Socket.io, authorized by the share token: joins with the last
 * seq the player has, receives what it missed and then each new event. The link is known to be
 * revoked when the server refuses the join (`not_found`) or reports the session deleted. When the
 * server cuts the connection itself — which is what revoking a link does to its viewers — the
 * hook connects once more to find out why: a revoked link's join is refused, a server that was
 * restarting lets it continue.
 */
export type TLiveStatus = "connecting" | "live" | "reconnecting" | "revoked";

export type TLivePreview = { id: string; type: "agent.message" | "agent.thinking"; text: string };

type TOptions = {
  token: string;
  sessionId: string;
  enabled: boolean;
  /** The highest seq the player holds (read at each join). */
  lastSeq(): number;
  onEvents(events: TTimelineEvent[]): void;
};

const SOCKET_PATH = "/socket.io";
const REJOIN_MS = 2_000;
const RECONNECT_AFTER_SERVER_DISCONNECT_MS = 500;
/** A committed event of these types supersedes the previews of the model's response. */
const ENDS_PREVIEW = new Set(["agent.message", "agent.thinking", "span.model_request_end", "session.status_idle", "session.error"]);

export function useShareLive({ token, sessionId, enabled, lastSeq, onEvents }: TOptions): { status: TLiveStatus; previews: TLivePreview[] } {
  const [status, setStatus] = useState<TLiveStatus>("connecting");
  const [previews, setPreviews] = useState<TLivePreview[]>([]);
  const callbacks = useRef({ lastSeq, onEvents });
  callbacks.current = { lastSeq, onEvents };

  useEffect(() => {
    if (!enabled) return;
    let stopped = false;
    let retry: ReturnType<typeof setTimeout> | undefined;
    const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io({ path: SOCKET_PATH, transports: ["websocket"], auth: { shareToken: token } });

    const end = (final: TLiveStatus) => {
      stopped = true;
      clearTimeout(retry);
      setStatus(final);
      setPreviews([]);
      socket.close();
    };
    const join = async () => {
      if (stopped || !socket.connected) return;
      try {
        const ack = await socket.timeout(10_000).emitWithAck("session:join", { sessionId, afterSeq: callbacks.current.lastSeq() });
        if (stopped) return;
        if (ack.ok) return setStatus("live");
        if (ack.error === "not_found") return end("revoked");
      } catch {
        // no answer in time: try again below
      }
      if (stopped) return;
      setStatus("reconnecting");
      retry = setTimeout(() => void join(), REJOIN_MS);
    };

    socket.on("connect", () => {
      setStatus((s) => (s === "live" ? s : "connecting"));
      void join();
    });
    socket.on("connect_error", () => !stopped && setStatus("reconnecting"));
    socket.on("disconnect", (reason) => {
      if (stopped) return;
      setStatus("reconnecting");
      setPreviews([]);
      // The server ended the connection (a revoked link, or a server going down): ask again.
      if (reason === "io server disconnect") retry = setTimeout(() => !stopped && socket.connect(), RECONNECT_AFTER_SERVER_DISCONNECT_MS);
    });
    socket.on("session:events", (payload) => {
      if (stopped || payload.sessionId !== sessionId) return;
      callbacks.current.onEvents(payload.events);
      if (payload.events.some((e) => ENDS_PREVIEW.has(e.type))) setPreviews([]);
    });
    socket.on("session:preview", (payload) => {
      if (stopped || payload.sessionId !== sessionId) return;
      setPreviews((prev) => applyPreview(prev, payload.preview));
    });
    socket.on("session:deleted", (payload) => {
      if (payload.sessionId === sessionId) end("revoked");
    });
    return () => {
      stopped = true;
      clearTimeout(retry);
      socket.close();
    };
  }, [enabled, token, sessionId]);

  return { status, previews };
}

function applyPreview(prev: TLivePreview[], preview: TPreview): TLivePreview[] {
  if (preview.type === "tool_output") return prev; // the replay shows a command's output once it is recorded
  if (preview.type === "event_start") return [...prev.filter((p) => p.id !== preview.event.id), { id: preview.event.id, type: preview.event.type, text: "" }];
  const index = prev.findIndex((p) => p.id === preview.event_id);
  if (index === -1) return prev;
  const next = prev.slice();
  next[index] = { ...next[index]!, text: next[index]!.text + preview.delta.content.text };
  return next;
}
