import type { PrismaClient } from "@/lib/generated/prisma/client";

/** How many work items wait for a worker in each self-hosted environment that has any (the queue's depth, for metrics). */
export async function queuedWorkByEnvironment(prisma: PrismaClient): Promise<Array<{ environmentId: string; depth: number }>> {
  const groups = await prisma.environmentWork.groupBy({ by: ["environmentId"], where: { state: "queued" }, _count: { _all: true } });
  return groups.map((group) => ({ environmentId: group.environmentId, depth: group._count._all }));
}
