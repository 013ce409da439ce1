import "server-only";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { dreamToWire } from "./dream-to-wire";
import { findTeamDream } from "./find-team-dream";

/** `GET /v1/dreams/{id}`: archived dreams too. */
export async function getDream(prisma: PrismaClient, options: { teamId: string; dreamId: string }) {
  const { dream, view } = await findTeamDream(prisma, options.teamId, options.dreamId);
  return dreamToWire(dream, view);
}
