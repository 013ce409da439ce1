import type { PrismaClient } from "@/lib/generated/prisma/client";
import { AppError } from "@/lib/errors";
import { newId } from "@/lib/ids";
import { slugify, withRandomSuffix } from "@/lib/teams/team-slug";
import { isUniqueViolation } from "@/lib/teams/unique-violation";
import { hashPassword } from "./password";
import { ZSignUpSchema } from "./schemas";

export type TSignedUp = { user: { id: string; email: string; name: string }; team: { id: string; slug: string; name: string } };

const SLUG_ATTEMPTS = 5;

/**
 * Creates an account and the personal team its owner lands in, in one transaction: the user, the
 * team and the owner membership are all written or none is. The email is stored trimmed and in
 * lowercase, the password only as an argon2id hash. A taken email is a `conflict` with
 * `details.field = "email"`; input that breaks the sign-up rules is `invalid_request`.
 */
export async function signUp(prisma: PrismaClient, options: { email: string; name: string; password: string }): Promise<TSignedUp> {
  const parsed = ZSignUpSchema.safeParse(options);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new AppError("invalid_request", issue.message, { field: String(issue.path[0] ?? "") });
  }
  const { email, name, password } = parsed.data;
  const emailTaken = () => new AppError("conflict", "An account with this email already exists. Sign in instead.", { field: "email" });
  if (await prisma.user.findUnique({ where: { email }, select: { id: true } })) throw emailTaken();

  const passwordHash = await hashPassword(password);
  const base = slugify(name) || slugify(email.split("@")[0] ?? "") || "team";
  const teamName = `${name}'s team`;
  for (let attempt = 0; attempt < SLUG_ATTEMPTS; attempt++) {
    const slug = attempt === 0 ? base : withRandomSuffix(base);
    if (await prisma.team.findUnique({ where: { slug }, select: { id: true } })) continue;
    try {
      return await prisma.$transaction(async (tx) => {
        const user = await tx.user.create({ data: { id: newId("user"), email, name, passwordHash }, select: { id: true, email: true, name: true } });
        const team = await tx.team.create({
          data: { id: newId("team"), slug, name: teamName, memberships: { create: { userId: user.id, role: "owner" } } },
          select: { id: true, slug: true, name: true },
        });
        return { user, team };
      });
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      // Either the email was registered meanwhile, or the slug was taken: tell which.
      if (await prisma.user.findUnique({ where: { email }, select: { id: true } })) throw emailTaken();
    }
  }
  throw new AppError("conflict", "Could not find a free address for your team; please try again.");
}
