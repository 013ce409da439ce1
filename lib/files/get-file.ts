import "server-only";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { fileToWire } from "./file-to-wire";
import { findTeamFile } from "./find-team-file";

/** `GET /v1/files/{id}`: the metadata, also of an expired file (then `downloadable: false`). */
export async function getFile(prisma: PrismaClient, options: { teamId: string; fileId: string }) {
  return fileToWire(await findTeamFile(prisma, options.teamId, options.fileId));
}
