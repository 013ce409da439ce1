import "server-only";
import type { File, PrismaClient } from "@/lib/generated/prisma/client";
import { NotFoundError } from "@/lib/errors";
import { isId } from "@/lib/ids";

export function fileNotFound(fileId: string): NotFoundError {
  return new NotFoundError(`file ${fileId.slice(0, 80)} not found`);
}

/** The team's file, or 404 (the same answer for an unknown id, a malformed one and another team's). */
export async function findTeamFile(prisma: Pick<PrismaClient, "file">, teamId: string, fileId: string): Promise<File> {
  const file = isId("file", fileId) ? await prisma.file.findFirst({ where: { id: fileId, teamId } }) : null;
  if (!file) throw fileNotFound(fileId);
  return file;
}
