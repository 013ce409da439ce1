import { notFound } from "next/navigation";
import { cache } from "react";
import { TEAM_SLUG } from "@/lib/teams/team-slug";
import type { TMembership, TTeamSummary } from "@/lib/teams/find-membership";
import type { TTeamRole } from "@/lib/teams/roles";
import type { TCurrentUser, TCurrentUserDeps } from "./current-user";
import { teamPath } from "./current-team";
import { requireUser } from "./require-user";

export type TTeamAccess = { user: TCurrentUser; team: TTeamSummary; role: TTeamRole };

/** What the gate needs: the signed-in user's deps and the membership lookup (the root's use-cases). */
export type TMembershipDeps = TCurrentUserDeps & {
  teams: { findMembership(options: { teamSlug: string; userId: string }): Promise<TMembership | null> };
};

const lookUp = cache((deps: TMembershipDeps, teamSlug: string, userId: string) => deps.teams.findMembership({ teamSlug, userId }));

/**
 * The one gate of every team page and action: the signed-in user and their membership of the team
 * named in the URL. Signed-out visitors are sent to sign in (and back here afterwards); a team that
 * does not exist and a team the user is not in get the same 404, so team names do not leak.
 * What a role may do (owners manage members and invitations) is checked again by each use-case.
 */
export async function requireMembership(deps: TMembershipDeps, teamSlug: string): Promise<TTeamAccess> {
  const user = await requireUser(deps, { returnTo: teamPath(teamSlug) });
  if (!TEAM_SLUG.test(teamSlug)) notFound();
  const membership = await lookUp(deps, teamSlug, user.id);
  if (!membership) notFound();
  return { user, team: membership.team, role: membership.role };
}
