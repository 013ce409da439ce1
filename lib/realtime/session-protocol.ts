import { z } from "zod";
import type { TEventActor, TEventBody } from "@/lib/event-log/events";
import type { TPreview } from "./event-bus";

/**
 * The Socket.io protocol of live sessions.
 *
 * client → server (each with an acknowledgement):
 * - `session:join` `{ sessionId, afterSeq }` → `{ ok: true, lastSeq }` once the events up to
 *   `lastSeq` have been sent; `{ ok: false, error, message? }` otherwise: `invalid_request` (a bad
 *   payload, or an `afterSeq` past the end of the log), `not_found` (an unknown session and one the
 *   client may not see, alike), `unavailable`. Joining again replaces the earlier join.
 * - `session:leave` `{ sessionId }` → `{ ok: true }`.
 *
 * server → client:
 * - `session:events` `{ sessionId, events }`: wire events with their `seq`, in seq order, each seq
 *   once per join: first what the log holds after `afterSeq`, then each event as it is committed.
 *   What each viewer receives depends on who it is (view-events.ts): API keys get the HTTP
 *   API's events, team members also `span.sandbox_status`, share-link guests that too but with
 *   `session.updated` cut to its title. The rest is left out, so seqs may skip. A
 *   client that reconnects joins with the highest seq it has (from an event or the join's
 *   `lastSeq`) and misses nothing.
 * - `session:preview` `{ sessionId, preview }`: token deltas of a message being generated (never
 *   stored; the committed `agent.message` follows in `session:events`).
 * - `session:deleted` `{ sessionId }`: the session is gone; the join has ended.
 * - `session:presence` `{ sessionId, viewers, version }`: who watches the session, once per viewer
 *   however many tabs. Sent to the room on every join, leave and disconnect, from whichever server
 *   saw it: keep the one with the highest `version`.
 */

export const SESSION_JOIN = "session:join";
export const SESSION_LEAVE = "session:leave";

export const ZJoinPayloadSchema = z.strictObject({
  sessionId: z.string().min(1).max(128),
  afterSeq: z.number().int().nonnegative().default(0),
});
export const ZLeavePayloadSchema = z.strictObject({ sessionId: z.string().min(1).max(128) });

export type TJoinPayload = z.infer<typeof ZJoinPayloadSchema>;
export type TLeavePayload = z.infer<typeof ZLeavePayloadSchema>;

export type TViewer = { id: string; name: string };
export type TJoinErrorCode = "invalid_request" | "not_found" | "unavailable";
export type TJoinAck = { ok: true; lastSeq: number } | { ok: false; error: TJoinErrorCode; message?: string };
export type TLeaveAck = { ok: true } | { ok: false; error: "invalid_request"; message?: string };

/** A wire event with its seq; `actor` (who sent a client event) only in a member's view (view-events.ts). */
export type TWireEventWithSeq = TEventBody & { id: string; processed_at: string | null; seq: number; actor?: TEventActor };

export type TEventsPayload = { sessionId: string; events: TWireEventWithSeq[] };
export type TPreviewPayload = { sessionId: string; preview: TPreview };
export type TDeletedPayload = { sessionId: string };
export type TPresencePayload = { sessionId: string; viewers: TViewer[]; version: number };

export type PingAck = { ok: true };

export interface ClientToServerEvents {
  ping: (ack: (response: PingAck) => void) => void;
  "session:join": (payload: unknown, ack: (response: TJoinAck) => void) => void;
  "session:leave": (payload: unknown, ack: (response: TLeaveAck) => void) => void;
}

export interface ServerToClientEvents {
  "session:events": (payload: TEventsPayload) => void;
  "session:preview": (payload: TPreviewPayload) => void;
  "session:deleted": (payload: TDeletedPayload) => void;
  "session:presence": (payload: TPresencePayload) => void;
}

export type InterServerEvents = Record<string, never>;

/** Per-socket data; other servers read it through `fetchSockets()` for presence. */
export type TSocketData = { viewers: Record<string, TViewer> };

/** The Socket.io room of a session's viewers (across servers when the Redis adapter is used). */
export function sessionRoom(sessionId: string): string {
  return `session:${sessionId}`;
}

/**
 * The room of a session's share-link guests, joined together with the session's room: presence
 * meant for members goes to the session's room except this one, decided when each server delivers
 * it, so a guest who joins while a broadcast is on its way never receives the members' names.
 */
export function sessionGuestRoom(sessionId: string): string {
  return `session-guests:${sessionId}`;
}
