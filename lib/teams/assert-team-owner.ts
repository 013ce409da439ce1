import type { Prisma } from "@/lib/generated/prisma/client";
import { AppError } from "@/lib/errors";

type TDb = Pick<Prisma.TransactionClient, "membership">;

/** Throws `forbidden` unless `userId` is an owner of the team (a non-member is refused the same way). */
export async function assertTeamOwner(db: TDb, options: { teamId: string; userId: string; action: string }): Promise<void> {
  const membership = await db.membership.findUnique({
    where: { teamId_userId: { teamId: options.teamId, userId: options.userId } },
    select: { role: true },
  });
  if (membership?.role !== "owner") throw new AppError("forbidden", `Only team owners can ${options.action}.`);
}
