import { notFound } from "next/navigation";
import { cache } from "react";
import { TEAM_SLUG } from "@/lib/teams/team-slug";
import { findMembership, type TTeamSummary } from "@/lib/teams/find-membership";
import type { TTeamRole } from "@/lib/teams/roles";
import { getRuntime } from "@/lib/server/runtime";
import type { TCurrentUser } from "./current-user";
import { teamPath } from "./current-team";
import { requireUser } from "./require-user";

export type TTeamAccess = { user: TCurrentUser; team: TTeamSummary; role: TTeamRole };

const lookUp = cache((teamSlug: string, userId: string) => findMembership(getRuntime().db.prisma, { teamSlug, userId }));

/**
 * The one gate of every team page and action: the signed-in user and their membership of the team
 * named in the URL. Signed-out visitors are sent to sign in (and back here afterwards); a team that
 * does not exist and a team the user is not in get the same 404, so team names do not leak.
 * What a role may do (owners manage members and invitations) is checked again by each use-case.
 */
export async function requireMembership(teamSlug: string): Promise<TTeamAccess> {
  const user = await requireUser({ returnTo: teamPath(teamSlug) });
  if (!TEAM_SLUG.test(teamSlug)) notFound();
  const membership = await lookUp(teamSlug, user.id);
  if (!membership) notFound();
  return { user, team: membership.team, role: membership.role };
}
