import Link from "next/link";
import type { ReactNode } from "react";
import { SignOutButton } from "@/components/auth/sign-out-button";
import { TeamSwitcher, type TSwitcherTeam } from "./team-switcher";

/** The signed-in pages' frame: a top bar with the team switcher and the account, then the page. */
export function AppFrame({ user, teams, currentSlug, children }: { user: { name: string; email: string }; teams: TSwitcherTeam[]; currentSlug?: string; children: ReactNode }) {
  return (
    <div className="flex min-h-dvh flex-col">
      <header className="sticky top-0 z-10 border-b border-zinc-200 bg-white/90 backdrop-blur dark:border-zinc-800 dark:bg-zinc-950/90">
        <div className="mx-auto flex max-w-5xl items-center justify-between gap-3 px-4 py-2.5 sm:px-6">
          <div className="flex min-w-0 items-center gap-1 sm:gap-2">
            <Link href="/teams" className="flex shrink-0 items-center gap-2 rounded-lg px-1.5 py-1.5 text-sm font-semibold">
              <span aria-hidden="true" className="inline-block size-2.5 rounded-full bg-brand-500" />
              <span className="hidden sm:inline">Open Managed Agents</span>
              <span className="sr-only sm:hidden">Open Managed Agents</span>
            </Link>
            <span aria-hidden="true" className="text-zinc-300 dark:text-zinc-700">
              /
            </span>
            <TeamSwitcher teams={teams} currentSlug={currentSlug} />
          </div>
          <div className="flex shrink-0 items-center gap-2">
            <p className="hidden text-right text-sm leading-tight md:block">
              <span className="block font-medium">{user.name}</span>
              <span className="block text-xs text-zinc-500 dark:text-zinc-400">{user.email}</span>
            </p>
            <SignOutButton />
          </div>
        </div>
      </header>
      {children}
    </div>
  );
}
