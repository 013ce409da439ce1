import "server-only";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { assertStorageKey, type FileStorage } from "./file-storage";

const TEMP_DIR = ".incoming";

/**
 * File storage in a directory (by default DATA_DIR/files): one file per key. An upload is written
 * to a temporary name in `.incoming/`, flushed to disk, then renamed into place, so a reader never
 * sees a partial file and a failed upload leaves nothing under its key; its temporary file is
 * removed on the failure path, and `sweepIncoming` removes those a killed process left behind.
 * Rename is atomic within one filesystem, which `.incoming/` inside the same directory guarantees.
 */
export class DirectoryFileStorage implements FileStorage {
  constructor(readonly dir: string) {}

  private pathOf(key: string): string {
    assertStorageKey(key);
    return path.join(this.dir, key);
  }

  async put(key: string, body: Readable): Promise<{ sizeBytes: number }> {
    const target = this.pathOf(key);
    const incoming = path.join(this.dir, TEMP_DIR);
    await fs.promises.mkdir(incoming, { recursive: true, mode: 0o700 });
    const temp = path.join(incoming, `${key}.${randomBytes(6).toString("hex")}`);
    try {
      const out = fs.createWriteStream(temp, { flags: "wx", mode: 0o600 });
      await pipeline(body, out);
      const handle = await fs.promises.open(temp, "r+");
      try {
        await handle.sync(); // the bytes are on disk before the name points at them
      } finally {
        await handle.close();
      }
      const { size } = await fs.promises.stat(temp);
      await fs.promises.rename(temp, target);
      return { sizeBytes: size };
    } catch (error) {
      await fs.promises.rm(temp, { force: true });
      throw error;
    }
  }

  async open(key: string): Promise<Readable | null> {
    const file = this.pathOf(key);
    try {
      const handle = await fs.promises.open(file, "r");
      return handle.createReadStream(); // closes the handle when the stream ends or is destroyed
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
      throw error;
    }
  }

  async remove(key: string): Promise<void> {
    await fs.promises.rm(this.pathOf(key), { force: true });
  }

  /**
   * Removes temporary files older than `olderThanMs`: uploads a killed process never finished.
   * Young ones may belong to an upload in flight in another process sharing the directory.
   */
  async sweepIncoming(olderThanMs: number, now = Date.now()): Promise<number> {
    const incoming = path.join(this.dir, TEMP_DIR);
    const names = await fs.promises.readdir(incoming).catch((error: NodeJS.ErrnoException) => {
      if (error.code === "ENOENT") return [];
      throw error;
    });
    let removed = 0;
    for (const name of names) {
      const file = path.join(incoming, name);
      const stat = await fs.promises.stat(file).catch(() => null);
      if (stat && now - stat.mtimeMs > olderThanMs) {
        await fs.promises.rm(file, { force: true });
        removed += 1;
      }
    }
    return removed;
  }
}
