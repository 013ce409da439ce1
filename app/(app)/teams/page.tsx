import { redirect } from "next/navigation";
import { requireUser } from "@/lib/auth/require-user";
import { useCases } from "@/lib/server/root";

export const dynamic = "force-dynamic";

/** Where sign-in lands: the user's first team, or team creation when they have none. */
export default async function TeamsPage() {
  const user = await requireUser(useCases(), { returnTo: "/teams" });
  redirect(await useCases().teams.homePath({ userId: user.id }));
}
