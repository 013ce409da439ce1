import "server-only";
import { Readable } from "node:stream";
import { AppError } from "@/lib/errors";
import { log } from "@/lib/log";
import { isExpired } from "./file-to-wire";
import { findTeamFile } from "./find-team-file";
import type { TFilesDeps } from "./upload-file";
import { attachmentDisposition } from "@/lib/resource/content-disposition";

/**
 * `GET /v1/files/{id}/content`: the raw bytes, streamed from the storage, with the file's type and
 * name (no Content-Length: Next.js drops it from streamed responses, which go out chunked). An expired file is a 404 `file_expired` (the SDK's FileExpiredError) and its
 * bytes are removed then; a row whose bytes are missing is logged and answered as a 404.
 */
export async function downloadFile(deps: Pick<TFilesDeps, "prisma" | "storage">, options: { teamId: string; fileId: string }): Promise<Response> {
  const file = await findTeamFile(deps.prisma, options.teamId, options.fileId);
  if (isExpired(file)) {
    await deps.storage.remove(file.id);
    throw new AppError("not_found", `file ${file.id} has expired`, { errorCode: "file_expired" });
  }
  if (!file.downloadable) throw new AppError("invalid_request", `file ${file.id} cannot be downloaded`, { errorCode: "file_not_downloadable" });
  const bytes = await deps.storage.open(file.id);
  if (!bytes) {
    log.error("file bytes missing", { fileId: file.id });
    throw new AppError("not_found", `file ${file.id} has no content`);
  }
  return new Response(Readable.toWeb(bytes) as ReadableStream<Uint8Array>, {
    status: 200,
    headers: {
      "content-type": file.mimeType,
      "content-disposition": attachmentDisposition(file.filename),
      "x-content-type-options": "nosniff",
    },
  });
}
