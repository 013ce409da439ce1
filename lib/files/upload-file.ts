import "server-only";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { newId } from "@/lib/ids";
import { fileToWire } from "./file-to-wire";
import { receiveUpload } from "./receive-upload";
import { sniffMimeType } from "./sniff-mime-type";
import type { FileStorage } from "./storage/file-storage";
import { expiresInSeconds, unnamedFilename } from "./upload-input";

export type TFilesDeps = { prisma: PrismaClient; storage: FileStorage; maxBytes: number };

/**
 * `POST /v1/files`: streams the `file` part into the storage under a new id, then writes the
 * metadata row. Nothing is kept on any failure (too large, a bad field, the client gone, the row
 * refused): the bytes are removed, and no row was written. The type is sniffed from the first
 * bytes (sniff-mime-type.ts says in which order the bytes, the declared type and the extension count).
 */
export async function uploadFile(deps: TFilesDeps, options: { teamId: string; contentType: string | null; body: ReadableStream<Uint8Array> | null }) {
  const id = newId("file");
  try {
    const received = await receiveUpload({ contentType: options.contentType, body: options.body, maxBytes: deps.maxBytes, storage: deps.storage, key: id });
    const expiresIn = expiresInSeconds(received.fields.expires_in_seconds);
    const mimeType = sniffMimeType({ head: received.head, declared: received.declaredType, filename: received.filename ?? "" });
    const createdAt = new Date();
    const file = await deps.prisma.file.create({
      data: {
        id,
        teamId: options.teamId,
        filename: received.filename ?? unnamedFilename(mimeType),
        mimeType,
        sizeBytes: BigInt(received.sizeBytes),
        createdAt,
        expiresAt: expiresIn === null ? null : new Date(createdAt.getTime() + expiresIn * 1000),
      },
    });
    return fileToWire(file);
  } catch (error) {
    await deps.storage.remove(id);
    throw error;
  }
}
