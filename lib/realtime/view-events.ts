import { toWireEvent, WIRE_EVENT_TYPES, type TEventType, type TStoredEvent } from "@/lib/event-log/events";
import type { TWireEventWithSeq } from "./session-protocol";

/**
 * What each kind of viewer receives of a session's log — on page load, in the replay's pages and
 * live over Socket.io alike, so a view never learns on one path what another path hides:
 *
 * - `api`: a client holding an API key gets the HTTP API's events (the wire vocabulary), nothing
 *   internal.
 * - `member`: a signed-in member of the team gets the wire events and `span.sandbox_status` (the
 *   session view shows the sandbox); never `span.tool_execution_start` (a harness bookkeeping mark
 *   that the timeline already shows as the call running). A client event comes with its `actor`
 *   (who sent it: a member's user id or an API key's id; the page names them), which is not part of
 *   the wire form: the API never sends it.
 * - `guest`: someone holding a share link gets what a member gets, minus what the replay page does
 *   not show: `session.updated` keeps only its title (metadata and agent overrides are the team's),
 *   and the sandbox status leaves out the provider's sandbox id (an internal handle). The status,
 *   provider, reason and duration stay: they explain what the replay shows happening.
 *   Decision: a guest never learns who sent what (no `actor`): the team's names stay the team's, as
 *   presence keeps them from guests too (session-protocol.ts). The replay says "User".
 */
export type TViewAudience = "api" | "member" | "guest";

/** The stored types the web app's views (the session view and the replay) receive. */
export const VIEW_EVENT_TYPES: readonly TEventType[] = [...WIRE_EVENT_TYPES, "span.sandbox_status"];

export function viewEventTypes(audience: TViewAudience): readonly TEventType[] {
  return audience === "api" ? WIRE_EVENT_TYPES : VIEW_EVENT_TYPES;
}

/** The event as `audience` sees it, with its seq; null when it is not theirs to see. */
export function toViewEvent(event: TStoredEvent, audience: TViewAudience): TWireEventWithSeq | null {
  if (!viewEventTypes(audience).includes(event.body.type)) return null;
  const wire: TWireEventWithSeq = { ...toWireEvent(event), seq: event.seq };
  if (audience === "member") return event.actor ? { ...wire, actor: event.actor } : wire;
  if (audience === "api") return wire;
  if (wire.type === "session.updated") {
    return { type: wire.type, id: wire.id, processed_at: wire.processed_at, seq: wire.seq, ...(wire.title === undefined ? {} : { title: wire.title }) };
  }
  if (wire.type === "span.sandbox_status") return { ...wire, sandbox_id: null };
  return wire;
}

/** The events of `events` that `audience` sees, as they see them, in the same order. */
export function toViewEvents(events: readonly TStoredEvent[], audience: TViewAudience): TWireEventWithSeq[] {
  const out: TWireEventWithSeq[] = [];
  for (const event of events) {
    const view = toViewEvent(event, audience);
    if (view) out.push(view);
  }
  return out;
}
