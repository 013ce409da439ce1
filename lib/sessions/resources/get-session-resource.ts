import type { SessionStore } from "@/lib/event-log/session-store";
import { findTeamSession } from "../find-team-session";
import { findResource, storedResources } from "./change-session-resources";

/** `GET /v1/sessions/{id}/resources/{resource_id}`: one of the session's resources, or 404 (also for another team's session). */
export async function getSessionResource(deps: { store: SessionStore }, options: { teamId: string; sessionId: string; resourceId: string }) {
  const session = await findTeamSession(deps.store, options.teamId, options.sessionId);
  return findResource(storedResources(session.resources), options.resourceId);
}
