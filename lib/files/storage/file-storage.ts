import "server-only";
import type { Readable } from "node:stream";

/**
 * Where uploaded files' bytes live, addressed by a key (the file's id). The metadata is in the
 * database (the `File` model); this holds only bytes. Implementations: a directory on disk
 * (directory-file-storage.ts, the default, under DATA_DIR), S3 or an S3-compatible store
 * (s3-file-storage.ts, with FILES_S3_BUCKET) and memory (in-memory-file-storage.ts, for unit
 * tests). Every implementation passes tests/contracts/file-storage.contract.ts.
 */
export interface FileStorage {
  /**
   * Stores the bytes `body` yields under `key`, streaming (never the whole file in memory), and
   * resolves to how many there were. All or nothing: when `body` fails (a size limit, a client
   * that went away) the promise rejects with that error and nothing is stored under `key`, not
   * even in part; until it resolves, `open(key)` does not see the new bytes.
   */
  put(key: string, body: Readable): Promise<{ sizeBytes: number }>;
  /** The stored bytes as a stream, or null when nothing is stored under `key`. */
  open(key: string): Promise<Readable | null>;
  /** Removes the bytes under `key`; nothing stored there is not an error. */
  remove(key: string): Promise<void>;
}

/** A key is a file id: letters, digits and `_` only, so it can never name a path outside the storage. */
export function assertStorageKey(key: string): void {
  if (!/^[A-Za-z0-9_]{1,128}$/.test(key)) throw new Error(`invalid file storage key ${JSON.stringify(key.slice(0, 40))}`);
}
