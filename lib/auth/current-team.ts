import type { PrismaClient } from "@/lib/generated/prisma/client";
import { listUserTeams } from "@/lib/teams/list-user-teams";

/**
 * The current team is the one named in the URL, `/t/<slug>/…`: every tab can show a different team,
 * links can be shared, and there is no server-side "selected team" to fall out of step. The team
 * switcher is a list of links to the user's teams.
 */
export function teamPath(slug: string, ...segments: string[]): string {
  return ["/t", encodeURIComponent(slug), ...segments].join("/");
}

/** Where a signed-in user lands: their first team (the personal one made at sign-up), or team creation. */
export async function homePathFor(prisma: PrismaClient, userId: string): Promise<string> {
  const [first] = await listUserTeams(prisma, { userId });
  return first ? teamPath(first.slug) : "/teams/new";
}
