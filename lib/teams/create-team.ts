import type { PrismaClient } from "@/lib/generated/prisma/client";
import { AppError } from "@/lib/errors";
import { newId } from "@/lib/ids";
import { TEAM_SLUG, TEAM_SLUG_RULE } from "./team-slug";
import { isUniqueViolation } from "./unique-violation";

export { TEAM_SLUG, TEAM_SLUG_RULE };

/**
 * Creates a team. With `ownerId`, that user becomes its owner in the same transaction (a team made
 * in the web app always has one); without, it has no members (teams made by the cli for API use).
 * Errors carry the offending field in `details.field`, for forms.
 */
export async function createTeam(
  prisma: PrismaClient,
  options: { slug: string; name: string; ownerId?: string },
): Promise<{ id: string; slug: string; name: string }> {
  if (!TEAM_SLUG.test(options.slug)) {
    throw new AppError("invalid_request", `slug: ${TEAM_SLUG_RULE}`, { field: "slug" });
  }
  const taken = () => new AppError("conflict", `a team with slug "${options.slug}" already exists`, { field: "slug" });
  const existing = await prisma.team.findUnique({ where: { slug: options.slug }, select: { id: true } });
  if (existing) throw taken();
  try {
    return await prisma.team.create({
      data: {
        id: newId("team"),
        slug: options.slug,
        name: options.name,
        ...(options.ownerId ? { memberships: { create: { userId: options.ownerId, role: "owner" } } } : {}),
      },
      select: { id: true, slug: true, name: true },
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw taken();
    throw error;
  }
}
