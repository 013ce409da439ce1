import "server-only";
import path from "node:path";
import { Readable } from "node:stream";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import type { TSessionOutputs } from "@/lib/harness/session-outputs";
import { newId } from "@/lib/ids";
import { sniffMimeType } from "./sniff-mime-type";
import type { FileStorage } from "./storage/file-storage";

/**
 * The harness's outputs (lib/harness/session-outputs.ts) kept as the session team's Files, scoped
 * to the session (`scopeType: "session"`, `scopeId`): named after the file's last path segment,
 * its type sniffed as an upload's, never expiring. The bytes are stored first, then the row; a
 * failure removes the bytes, so no row ever points at nothing.
 */
export function createSessionOutputs(deps: { prisma: PrismaClient; storage: FileStorage; maxBytes: number }): TSessionOutputs {
  return {
    maxBytes: deps.maxBytes,
    async save(sessionId, output) {
      const session = await deps.prisma.session.findUnique({ where: { id: sessionId }, select: { teamId: true } });
      if (!session) throw new Error(`session ${sessionId} not found`);
      const id = newId("file");
      const filename = path.posix.basename(output.relativePath).slice(0, 255);
      try {
        const { sizeBytes } = await deps.storage.put(id, Readable.from([output.bytes]));
        await deps.prisma.file.create({
          data: { id, teamId: session.teamId, filename, mimeType: sniffMimeType({ head: output.bytes.subarray(0, 512), filename }), sizeBytes: BigInt(sizeBytes), scopeType: "session", scopeId: sessionId },
        });
      } catch (error) {
        await deps.storage.remove(id);
        throw error;
      }
      return { fileId: id };
    },
  };
}
