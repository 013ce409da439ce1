import type { SessionStore } from "@/lib/event-log/session-store";
import { findTeamSession } from "./find-team-session";
import { sessionToWire } from "./session-to-wire";

export async function getSession(deps: { store: SessionStore }, options: { teamId: string; sessionId: string }) {
  return sessionToWire(await findTeamSession(deps.store, options.teamId, options.sessionId));
}
