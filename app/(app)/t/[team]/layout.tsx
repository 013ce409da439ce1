import type { ReactNode } from "react";
import { requireMembership } from "@/lib/auth/require-membership";
import { useCases } from "@/lib/server/root";
import { TeamNav } from "@/components/app/team-nav";
import { RoleBadge } from "@/components/ui/card";
import { SignedInFrame } from "../../signed-in-frame";

type TProps = { children: ReactNode; params: Promise<{ team: string }> };

/** Every page under /t/<slug> is for members of that team only (404 for anyone else). */
export default async function TeamLayout({ children, params }: TProps) {
  const { team: slug } = await params;
  const { user, team, role } = await requireMembership(useCases(), slug);
  return (
    <SignedInFrame user={user} currentSlug={team.slug}>
      <div className="border-b border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900">
        <div className="mx-auto flex max-w-5xl flex-col gap-4 px-4 pt-6 sm:px-6">
          <div className="flex flex-wrap items-center gap-3">
            <h1 className="text-2xl font-semibold tracking-tight">{team.name}</h1>
            <RoleBadge role={role} />
          </div>
          <TeamNav slug={team.slug} />
        </div>
      </div>
      <main id="main" className="mx-auto flex w-full max-w-5xl flex-col gap-6 px-4 py-8 sm:px-6">
        {children}
      </main>
    </SignedInFrame>
  );
}
