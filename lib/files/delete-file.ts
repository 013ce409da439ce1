import "server-only";
import { log } from "@/lib/log";
import { fileNotFound } from "./find-team-file";
import { isId } from "@/lib/ids";
import type { TFilesDeps } from "./upload-file";

/**
 * `DELETE /v1/files/{id}`: the row first (from then on the file is gone for every reader), then the
 * bytes. Bytes whose removal fails are logged and left behind, never served: no row names them.
 */
export async function deleteFile(deps: Pick<TFilesDeps, "prisma" | "storage">, options: { teamId: string; fileId: string }) {
  if (!isId("file", options.fileId)) throw fileNotFound(options.fileId);
  const { count } = await deps.prisma.file.deleteMany({ where: { id: options.fileId, teamId: options.teamId } });
  if (count === 0) throw fileNotFound(options.fileId);
  await deps.storage.remove(options.fileId).catch((error: unknown) => {
    log.warn("file bytes not removed", { fileId: options.fileId, error: error instanceof Error ? error.message : String(error) });
  });
  return { id: options.fileId, type: "file_deleted" as const };
}
