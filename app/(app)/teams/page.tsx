import { redirect } from "next/navigation";
import { homePathFor } from "@/lib/auth/current-team";
import { requireUser } from "@/lib/auth/require-user";
import { getRuntime } from "@/lib/server/runtime";

export const dynamic = "force-dynamic";

/** Where sign-in lands: the user's first team, or team creation when they have none. */
export default async function TeamsPage() {
  const user = await requireUser({ returnTo: "/teams" });
  redirect(await homePathFor(getRuntime().db.prisma, user.id));
}
