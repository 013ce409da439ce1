import type { SessionStore } from "@/lib/event-log/session-store";
import { findTeamSession } from "./find-team-session";
import { readForkOrigin } from "./fork-origin";
import { readActiveSeconds } from "./read-active-seconds";
import { readOutcomeEvaluations } from "./read-outcome-evaluations";
import { sessionToWire } from "./session-to-wire";

/** The session object; a fork also carries `forked_from` (our extension: absent on other sessions). */
export async function getSession(deps: { store: SessionStore }, options: { teamId: string; sessionId: string }) {
  const session = await findTeamSession(deps.store, options.teamId, options.sessionId);
  const origin = await readForkOrigin(deps.store, session.id);
  const [activeSeconds, outcomeEvaluations] = await Promise.all([readActiveSeconds(deps.store, session.id), readOutcomeEvaluations(deps.store, session.id)]);
  return { ...sessionToWire(session, { activeSeconds, outcomeEvaluations }), ...(origin ? { forked_from: { session_id: origin.session_id, event_id: origin.event_id } } : {}) };
}
