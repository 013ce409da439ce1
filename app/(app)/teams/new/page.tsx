import type { Metadata } from "next";
import { requireUser } from "@/lib/auth/require-user";
import { useCases } from "@/lib/server/root";
import { CreateTeamForm } from "@/components/teams/create-team-form";
import { createTeamAction } from "./actions";

export const metadata: Metadata = { title: "Create a team" };
export const dynamic = "force-dynamic";

export default async function NewTeamPage() {
  await requireUser(useCases(), { returnTo: "/teams/new" });
  return (
    <div className="mx-auto flex max-w-lg flex-col gap-6">
      <div className="flex flex-col gap-1.5">
        <h1 className="text-2xl font-semibold tracking-tight">Create a team</h1>
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          A team has its own agents, sessions, API keys and members. You will be its owner.
        </p>
      </div>
      <div className="rounded-xl border border-zinc-200 bg-white p-6 shadow-sm dark:border-zinc-800 dark:bg-zinc-900">
        <CreateTeamForm action={createTeamAction} />
      </div>
    </div>
  );
}
