import "server-only";
import type { File } from "@/lib/generated/prisma/client";

/** Whether the file's bytes are past their expiry (then they are no longer served). */
export function isExpired(file: Pick<File, "expiresAt">, now = new Date()): boolean {
  return file.expiresAt !== null && file.expiresAt.getTime() <= now.getTime();
}

/** The File object of the API (reference §2.11); `downloadable` turns false once the file expires. */
export function fileToWire(file: File, now = new Date()) {
  return {
    id: file.id,
    type: "file" as const,
    filename: file.filename,
    mime_type: file.mimeType,
    size_bytes: Number(file.sizeBytes),
    created_at: file.createdAt.toISOString(),
    downloadable: file.downloadable && !isExpired(file, now),
    expires_at: file.expiresAt?.toISOString() ?? null,
    scope: file.scopeType === "session" && file.scopeId ? { type: "session" as const, id: file.scopeId } : null,
  };
}

export type TWireFile = ReturnType<typeof fileToWire>;
