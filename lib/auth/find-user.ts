import type { PrismaClient } from "@/lib/generated/prisma/client";

/** The account with this id (its id, email and name only), or null when there is none. */
export async function findUser(prisma: PrismaClient, options: { id: string }): Promise<{ id: string; email: string; name: string } | null> {
  return prisma.user.findUnique({ where: { id: options.id }, select: { id: true, email: true, name: true } });
}
