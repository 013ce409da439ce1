import type { ReactNode } from "react";
import type { TCurrentUser } from "@/lib/auth/current-user";
import { useCases } from "@/lib/server/root";
import { AppFrame } from "@/components/app/app-frame";

/** The top bar of every signed-in page, with the user's teams for the switcher. */
export async function SignedInFrame({ user, currentSlug, children }: { user: TCurrentUser; currentSlug?: string; children: ReactNode }) {
  const teams = await useCases().teams.listOfUser({ userId: user.id });
  return (
    <AppFrame user={user} teams={teams.map(({ slug, name, role }) => ({ slug, name, role }))} currentSlug={currentSlug}>
      {children}
    </AppFrame>
  );
}
