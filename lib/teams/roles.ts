/** A member's role in a team. Owners manage members and invitations; members use the team. */
export const TEAM_ROLES = ["owner", "member"] as const;
export type TTeamRole = (typeof TEAM_ROLES)[number];

export function isTeamRole(value: string): value is TTeamRole {
  return (TEAM_ROLES as readonly string[]).includes(value);
}

/** The stored role as a known role; anything unexpected counts as the least privileged one. */
export function toTeamRole(value: string): TTeamRole {
  return isTeamRole(value) ? value : "member";
}
