import type { PrismaClient } from "@/lib/generated/prisma/client";
import { verifyAgainstDummy, verifyPassword } from "./password";
import { ZSignInSchema } from "./schemas";

export type TAuthenticatedUser = { id: string; email: string; name: string };

/**
 * The account with this email and password, or null. Every refusal looks the same and takes about
 * as long: when there is no such account (or it has no password) a dummy hash is verified instead,
 * so timing does not reveal which emails are registered.
 */
export async function authenticateUser(prisma: PrismaClient, options: { email: string; password: string }): Promise<TAuthenticatedUser | null> {
  const parsed = ZSignInSchema.safeParse(options);
  if (!parsed.success) return null;
  const { email, password } = parsed.data;
  const user = await prisma.user.findUnique({ where: { email }, select: { id: true, email: true, name: true, passwordHash: true } });
  if (!user?.passwordHash) return verifyAgainstDummy(password).then(() => null);
  if (!(await verifyPassword(user.passwordHash, password))) return null;
  return { id: user.id, email: user.email, name: user.name };
}
