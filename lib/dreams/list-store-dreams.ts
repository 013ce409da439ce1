import "server-only";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { dreamToWire } from "./dream-to-wire";
import { readDreamViews } from "./read-dream-views";

/**
 * The web app's memory store page: the dreams that read the store or wrote into it, newest first
 * (archived ones too), at most `limit`. The API's list has no such filter; this is the page's own.
 */
export async function listStoreDreams(prisma: PrismaClient, options: { teamId: string; storeId: string; limit?: number }) {
  const rows = await prisma.dream.findMany({
    where: { teamId: options.teamId, OR: [{ memoryStoreId: options.storeId }, { outputStoreId: options.storeId }] },
    orderBy: { id: "desc" },
    take: options.limit ?? 10,
  });
  const views = await readDreamViews(prisma, rows);
  return rows.map((row) => dreamToWire(row, views.get(row.id)!));
}
