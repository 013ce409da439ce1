import "server-only";
import type { Dream, PrismaClient } from "@/lib/generated/prisma/client";
import { AppError } from "@/lib/errors";
import { isId } from "@/lib/ids";
import type { TDreamView } from "./dream-to-wire";
import { readDreamViews } from "./read-dream-views";

/** The team's dream with its folded view; 404 for unknown, malformed and other teams' ids alike. */
export async function findTeamDream(prisma: PrismaClient, teamId: string, dreamId: string): Promise<{ dream: Dream; view: TDreamView }> {
  const dream = isId("dream", dreamId) ? await prisma.dream.findFirst({ where: { id: dreamId, teamId } }) : null;
  if (!dream) throw new AppError("not_found", `dream ${dreamId.slice(0, 128)} not found`);
  return { dream, view: (await readDreamViews(prisma, [dream])).get(dream.id)! };
}
