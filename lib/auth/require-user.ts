import { redirect } from "next/navigation";
import { signInPath } from "./callback-url";
import { getCurrentUser, type TCurrentUser, type TCurrentUserDeps } from "./current-user";

/** The signed-in user; anyone else is sent to sign in, and brought back to `returnTo` afterwards. */
export async function requireUser(deps: TCurrentUserDeps, options: { returnTo?: string } = {}): Promise<TCurrentUser> {
  const user = await getCurrentUser(deps);
  if (!user) redirect(signInPath(options.returnTo));
  return user;
}
