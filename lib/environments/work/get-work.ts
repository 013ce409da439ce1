import type { PrismaClient } from "@/lib/generated/prisma/client";
import { findHostedEnvironment, findWork } from "./find-work";
import { workToWire } from "./work-to-wire";

/** `GET /v1/environments/{id}/work/{work_id}` (its `secret` is null here: only a poll hands one out). */
export async function getWork(deps: { prisma: PrismaClient }, options: { teamId: string; environmentId: string; workId: string }) {
  const env = await findHostedEnvironment(deps.prisma, options.teamId, options.environmentId);
  return workToWire(await findWork(deps.prisma, env.id, options.workId));
}
