import "server-only";
import type { Readable } from "node:stream";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { fileResourcesOf, type TSessionFiles } from "@/lib/harness/file-resources";
import { isExpired } from "./file-to-wire";
import type { FileStorage } from "./storage/file-storage";

/**
 * The harness's view of sessions' file resources (lib/harness/file-resources.ts): the `file`
 * entries of the session record's `resources`, and a file's bytes from the storage, or null when
 * its row is gone (deleted through the Files API), it has expired, or its bytes are missing.
 */
export function createSessionFiles(deps: { prisma: PrismaClient; storage: FileStorage }): TSessionFiles {
  return {
    async resources(sessionId) {
      const session = await deps.prisma.session.findUnique({ where: { id: sessionId }, select: { resources: true } });
      return fileResourcesOf(Array.isArray(session?.resources) ? session.resources : []);
    },
    async read(fileId) {
      const file = await deps.prisma.file.findUnique({ where: { id: fileId } });
      if (!file || isExpired(file)) return null;
      const stream = await deps.storage.open(file.id);
      return stream ? readAll(stream) : null;
    },
  };
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}
