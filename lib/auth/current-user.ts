import { getServerSession } from "next-auth";
import { cache } from "react";
import { getAuthOptions, type TAuthOptionsDeps } from "./auth-options";

export type TCurrentUser = { id: string; email: string; name: string };

/**
 * What reading the signed-in user needs, given by the caller (the composition root's use-cases,
 * `useCases()` in app/): next-auth's options to read the session cookie, and the account lookup.
 */
export type TCurrentUserDeps = TAuthOptionsDeps & {
  users: { find(options: { id: string }): Promise<TCurrentUser | null> };
};

/**
 * The signed-in user, or null. The session cookie only names the user: the account is read from
 * the database, once per request (React's `cache`, keyed by `deps`: pass the same object, the
 * installed root), so a deleted account is signed out everywhere.
 */
export const getCurrentUser = cache(async (deps: TCurrentUserDeps): Promise<TCurrentUser | null> => {
  const session = await getServerSession(getAuthOptions(deps));
  const id = (session?.user as { id?: unknown } | undefined)?.id;
  if (typeof id !== "string" || id === "") return null;
  return deps.users.find({ id });
});
