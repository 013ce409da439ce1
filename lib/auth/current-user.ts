import { getServerSession } from "next-auth";
import { cache } from "react";
import { getRuntime } from "@/lib/server/runtime";
import { getAuthOptions } from "./auth-options";

export type TCurrentUser = { id: string; email: string; name: string };

/**
 * The signed-in user, or null. The session cookie only names the user: the account is read from
 * the database, once per request (React's `cache`), so a deleted account is signed out everywhere.
 */
export const getCurrentUser = cache(async (): Promise<TCurrentUser | null> => {
  const session = await getServerSession(getAuthOptions());
  const id = (session?.user as { id?: unknown } | undefined)?.id;
  if (typeof id !== "string" || id === "") return null;
  return getRuntime().db.prisma.user.findUnique({ where: { id }, select: { id: true, email: true, name: true } });
});
