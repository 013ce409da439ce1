import { z } from "zod";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { applyMetadataPatch, metadataFromJson, parseBody, ZMetadataPatchSchema } from "@/lib/resource/metadata";
import { findHostedEnvironment, findWork } from "./find-work";
import { workToWire } from "./work-to-wire";

const ZUpdateWorkSchema = z.strictObject({ metadata: ZMetadataPatchSchema });

/** `POST /v1/environments/{id}/work/{work_id}`: merges a metadata patch (a string upserts, null deletes). */
export async function updateWork(deps: { prisma: PrismaClient }, options: { teamId: string; environmentId: string; workId: string; body: unknown }) {
  const { metadata } = parseBody(ZUpdateWorkSchema, options.body);
  const env = await findHostedEnvironment(deps.prisma, options.teamId, options.environmentId);
  const row = await findWork(deps.prisma, env.id, options.workId);
  const merged = applyMetadataPatch(metadataFromJson(row.metadata), metadata);
  return workToWire(await deps.prisma.environmentWork.update({ where: { id: row.id }, data: { metadata: merged } }));
}
