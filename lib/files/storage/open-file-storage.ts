import "server-only";
import path from "node:path";
import type { TEnv } from "@/lib/env";
import type { Logger } from "@/lib/log";
import { DirectoryFileStorage } from "./directory-file-storage";
import type { FileStorage } from "./file-storage";

/** Uploads a killed process left half-written are removed once a day old: none of another process's still in flight. */
const INCOMING_KEPT_MS = 24 * 3_600_000;

/**
 * The file storage this process uses: S3 (or an S3-compatible store) when FILES_S3_BUCKET is set,
 * otherwise the directory `<DATA_DIR>/files`, whose leftovers of killed uploads are swept here.
 */
export async function openFileStorage(
  env: Pick<TEnv, "DATA_DIR" | "FILES_S3_BUCKET" | "FILES_S3_PREFIX" | "FILES_S3_REGION" | "FILES_S3_ENDPOINT" | "FILES_S3_FORCE_PATH_STYLE">,
  log: Logger,
): Promise<{ storage: FileStorage; description: string; close(): void }> {
  if (env.FILES_S3_BUCKET) {
    // loaded only here: the S3 client is a quarter of a second of start-up that the default (a directory) does not need
    const { S3FileStorage } = await import("./s3-file-storage");
    const storage = new S3FileStorage({
      bucket: env.FILES_S3_BUCKET,
      prefix: env.FILES_S3_PREFIX,
      region: env.FILES_S3_REGION,
      endpoint: env.FILES_S3_ENDPOINT,
      forcePathStyle: env.FILES_S3_FORCE_PATH_STYLE,
    });
    return { storage, description: storage.description, close: () => storage.close() };
  }
  const storage = new DirectoryFileStorage(path.resolve(env.DATA_DIR, "files"));
  await storage.sweepIncoming(INCOMING_KEPT_MS).catch((error: unknown) => log.warn("file storage sweep failed", { error: error instanceof Error ? error.message : String(error) }));
  return { storage, description: storage.dir, close: () => {} };
}
