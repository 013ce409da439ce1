import type { PrismaClient } from "@/lib/generated/prisma/client";
import { environmentToWire, type TWireEnvironment } from "./environment-to-wire";
import { findTeamEnvironment } from "./find-team-environment";

/** `GET /v1/environments/{id}` (archived ones too: `archived_at` says so). */
export async function getEnvironment(prisma: PrismaClient, options: { teamId: string; environmentId: string }): Promise<TWireEnvironment> {
  return environmentToWire(await findTeamEnvironment(prisma, options.teamId, options.environmentId));
}
