import { teamPath } from "@/lib/auth/current-team";
import type { TSessionStatus } from "@/lib/event-log/fold";
import type { TWireSession } from "../session-to-wire";
import { agentOfSnapshot } from "./load-session-view";

/** A session as the lists show it. */
export type TSessionRow = { id: string; href: string; title: string | null; agentName: string | null; status: TSessionStatus; createdAt: Date };

export function sessionRowOf(session: TWireSession, teamSlug: string): TSessionRow {
  return {
    id: session.id,
    href: teamPath(teamSlug, "sessions", session.id),
    title: session.title,
    agentName: agentOfSnapshot(session.agent).name,
    status: session.status,
    createdAt: new Date(session.created_at),
  };
}
