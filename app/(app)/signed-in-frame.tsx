import type { ReactNode } from "react";
import type { TCurrentUser } from "@/lib/auth/current-user";
import { getRuntime } from "@/lib/server/runtime";
import { listUserTeams } from "@/lib/teams/list-user-teams";
import { AppFrame } from "@/components/app/app-frame";

/** The top bar of every signed-in page, with the user's teams for the switcher. */
export async function SignedInFrame({ user, currentSlug, children }: { user: TCurrentUser; currentSlug?: string; children: ReactNode }) {
  const teams = await listUserTeams(getRuntime().db.prisma, { userId: user.id });
  return (
    <AppFrame user={user} teams={teams.map(({ slug, name, role }) => ({ slug, name, role }))} currentSlug={currentSlug}>
      {children}
    </AppFrame>
  );
}
